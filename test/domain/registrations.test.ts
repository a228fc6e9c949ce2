import {
  approvalProblems,
  baselineWindow,
  canMove,
  claimKey,
  dealEndDate,
  dealRegistrationProblems,
  defaultBaseline,
  expiresAt,
  registrationSla,
  renewedEndDate,
} from '../../domain/registrations';

describe('registration rules', () => {
  it.each([
    // Submitted Monday 2026-11-30 10:00 Moscow: Tue, Wed, Thu are the three business days.
    [
      '2026-11-30T07:00:00Z',
      3,
      '2026-12-03',
      '2026-12-02T21:00:00.000Z',
      '2026-12-03T21:00:00.000Z',
    ],
    // Friday evening: Mon, Tue, Wed.
    [
      '2026-12-04T18:00:00Z',
      3,
      '2026-12-09',
      '2026-12-08T21:00:00.000Z',
      '2026-12-09T21:00:00.000Z',
    ],
    // 23:30 Moscow on Friday is still Friday in Moscow (UTC+3).
    [
      '2026-12-04T20:30:00Z',
      1,
      '2026-12-07',
      '2026-12-06T21:00:00.000Z',
      '2026-12-07T21:00:00.000Z',
    ],
    // The new-year holidays of the production calendar are not business days.
    [
      '2026-12-30T09:00:00Z',
      1,
      '2027-01-11',
      '2027-01-10T21:00:00.000Z',
      '2027-01-11T21:00:00.000Z',
    ],
  ])(
    'submitted %s with %i business days: last day %s, reminder %s, deadline %s',
    (submittedAt, days, lastReviewDay, reminderAt, deadline) => {
      expect(registrationSla(submittedAt, days)).toEqual({ lastReviewDay, reminderAt, deadline });
    },
  );

  it('refuses an SLA that is not a whole number of days', () => {
    expect(() => registrationSla('2026-11-30T07:00:00Z', 0)).toThrow(RangeError);
    expect(() => registrationSla('2026-11-30T07:00:00Z', 1.5)).toThrow(RangeError);
  });

  it.each([
    ['2026-11-30', 12, '2027-11-29'],
    ['2026-01-31', 1, '2026-02-28'], // no 31 February: the term runs to the end of the month
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-01-30', 1, '2026-02-28'], // no 30 February either
    ['2026-03-01', 12, '2027-02-28'],
  ])('a deal from %s for %i months ends on %s', (start, months, end) => {
    expect(dealEndDate(start, months)).toBe(end);
  });

  it('a renewal runs one more term from the day after the end; expiry is 00:00 Moscow after it', () => {
    expect(renewedEndDate('2027-11-29', 12)).toBe('2028-11-29');
    expect(expiresAt('2027-11-29')).toBe('2027-11-29T21:00:00.000Z');
  });

  it('a customer is claimed by INN when it has one, else by account', () => {
    expect(claimKey({ inn: '7704123450', accountId: 'cust-1' })).toBe('inn:7704123450');
    expect(claimKey({ inn: null, accountId: 'cust-1' })).toBe('account:cust-1');
    expect(() => claimKey({ inn: null, accountId: null })).toThrow(RangeError);
  });

  it('the baseline window is the three full months before the registration month', () => {
    expect(baselineWindow('2026-11-30')).toEqual({ from: '2026-08-01', to: '2026-11-01' });
    expect(baselineWindow('2026-02-01')).toEqual({ from: '2025-11-01', to: '2026-02-01' });
  });

  it.each([
    ['2700.03', '900.01'], // 900.01
    ['2700.015', '900.01'], // 900.005 → half-up 900.01
    ['100', '33.33'], // 33.333…
    ['0', '0.00'],
  ])('a three-month total of %s averages %s a month', (total, average) => {
    expect(defaultBaseline(total)).toBe(average);
  });

  it.each([
    ['deal', { upliftRate: '0.15' }, []],
    ['deal', { upliftRate: '0.1501' }, ['upliftRate']],
    ['deal', { upliftRate: '0' }, ['upliftRate']],
    ['deal', {}, ['upliftRate']],
    ['deal', { upliftRate: '0.05', rate: '0.05' }, ['rate']],
    ['project', { rate: '0.15', baselineMonthly: '1000.00' }, []],
    ['project', { rate: '0.16' }, ['rate']],
    ['project', { rate: '0.1', baselineMonthly: '-1' }, ['baselineMonthly']],
    ['project', { rate: '0.1', upliftRate: '0.1' }, ['upliftRate']],
  ] as const)('approving a %s with %j: problems on %j', (kind, approval, fields) => {
    expect(approvalProblems(kind, approval).map((p) => p.field)).toEqual(fields);
  });

  it('a deal registration names an expected monthly amount and a description', () => {
    expect(
      dealRegistrationProblems({ expectedMonthlyConsumption: '1000', description: 'ok' }),
    ).toEqual([]);
    expect(
      dealRegistrationProblems({ expectedMonthlyConsumption: '1.234', description: ' ' }).map(
        (p) => p.field,
      ),
    ).toEqual(['expectedMonthlyConsumption', 'description']);
  });

  it('only a pending registration is decided, only an approved one expires', () => {
    expect(canMove('pending', 'approved')).toBe(true);
    expect(canMove('pending', 'rejected')).toBe(true);
    expect(canMove('approved', 'expired')).toBe(true);
    expect(canMove('rejected', 'approved')).toBe(false);
    expect(canMove('expired', 'approved')).toBe(false);
    expect(canMove('approved', 'rejected')).toBe(false);
  });
});
