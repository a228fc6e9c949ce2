import { DomainError } from '../../domain/errors';
import {
  MIN_NOTICE_DAYS,
  REFERRAL_COMMISSION_RATE,
  exitDateFor,
  partnerTransition,
  referralCommission,
  type PartnerEvent,
  type PartnerStatus,
  type ReferralCustomerConsumption,
} from '../../domain/lifecycle';

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('exitDateFor', () => {
  it('uses a 30-day minimum notice', () => {
    expect(MIN_NOTICE_DAYS).toBe(30);
  });

  it.each<[string, string, string | null | undefined, string, string, string]>([
    // name, noticeAt, requested, noticeDate, exitDate, exitAt
    [
      'no date: notice date + 30',
      '2026-11-21T10:00:00Z',
      undefined,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'null date: notice date + 30',
      '2026-11-21T10:00:00Z',
      null,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'late Moscow evening counts as the next Moscow day',
      '2026-11-21T22:30:00Z',
      undefined,
      '2026-11-22',
      '2026-12-22',
      '2026-12-21T21:00:00.000Z',
    ],
    [
      'last minute of the Moscow day stays on it',
      '2026-11-21T20:59:59Z',
      undefined,
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'an offset instant is read as the same moment',
      '2026-11-22T01:30:00+03:00',
      undefined,
      '2026-11-22',
      '2026-12-22',
      '2026-12-21T21:00:00.000Z',
    ],
    [
      'exactly 30 days accepted',
      '2026-11-21T10:00:00Z',
      '2026-12-21',
      '2026-11-21',
      '2026-12-21',
      '2026-12-20T21:00:00.000Z',
    ],
    [
      'far future accepted',
      '2026-11-21T10:00:00Z',
      '2030-06-01',
      '2026-11-21',
      '2030-06-01',
      '2030-05-31T21:00:00.000Z',
    ],
    [
      'across the year end',
      '2026-12-15T09:00:00Z',
      undefined,
      '2026-12-15',
      '2027-01-14',
      '2027-01-13T21:00:00.000Z',
    ],
    [
      'New Year’s Eve in Moscow',
      '2026-12-31T21:00:00Z',
      undefined,
      '2027-01-01',
      '2027-01-31',
      '2027-01-30T21:00:00.000Z',
    ],
    [
      'onto a leap day',
      '2028-01-30T12:00:00Z',
      undefined,
      '2028-01-30',
      '2028-02-29',
      '2028-02-28T21:00:00.000Z',
    ],
    [
      'over a leap day',
      '2028-02-15T12:00:00Z',
      undefined,
      '2028-02-15',
      '2028-03-16',
      '2028-03-15T21:00:00.000Z',
    ],
    [
      'no leap day in 2027',
      '2027-01-30T12:00:00Z',
      undefined,
      '2027-01-30',
      '2027-03-01',
      '2027-02-28T21:00:00.000Z',
    ],
    [
      'requested leap day itself',
      '2028-01-20T12:00:00Z',
      '2028-02-29',
      '2028-01-20',
      '2028-02-29',
      '2028-02-28T21:00:00.000Z',
    ],
  ])('%s', (_name, noticeAt, requestedExitDate, noticeDate, exitDate, exitAt) => {
    expect(exitDateFor({ noticeAt, requestedExitDate })).toEqual({ noticeDate, exitDate, exitAt });
  });

  it.each<[string, string, string, string]>([
    // name, noticeAt, requested, earliest
    ['29 days ahead', '2026-11-21T10:00:00Z', '2026-12-20', '2026-12-21'],
    ['the notice date itself', '2026-11-21T10:00:00Z', '2026-11-21', '2026-12-21'],
    ['a date in the past', '2026-11-21T10:00:00Z', '2026-10-01', '2026-12-21'],
    ['30 days by UTC but 29 by Moscow date', '2026-11-21T22:30:00Z', '2026-12-21', '2026-12-22'],
    ['29 days across the year end', '2026-12-15T09:00:00Z', '2027-01-13', '2027-01-14'],
  ])(
    'refuses %s with the earliest allowed date',
    (_name, noticeAt, requestedExitDate, earliest) => {
      const error = caught(() => exitDateFor({ noticeAt, requestedExitDate }));
      expect(error.code).toBe('validation_failed');
      expect(error.fields).toEqual([
        {
          field: 'exitDate',
          message: `must be on or after ${earliest} (30 days after the notice)`,
        },
      ]);
      expect(error.message).toContain(earliest);
    },
  );

  it.each<[string, string]>([
    ['impossible 29 February', '2027-02-29'],
    ['impossible 31 April', '2027-04-31'],
    ['month 13', '2027-13-01'],
    ['unpadded day', '2027-01-5'],
    ['an instant instead of a date', '2027-01-05T00:00:00Z'],
    ['empty', ''],
  ])('refuses a requested date that is %s', (_name, requestedExitDate) => {
    const error = caught(() =>
      exitDateFor({ noticeAt: '2026-11-21T10:00:00Z', requestedExitDate }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0]?.field).toBe('exitDate');
  });

  it.each<[string, string]>([
    ['no offset', '2026-11-21T10:00:00'],
    ['a bare date', '2026-11-21'],
    ['garbage', 'yesterday'],
  ])('refuses a notice time with %s', (_name, noticeAt) => {
    const error = caught(() => exitDateFor({ noticeAt }));
    expect(error.code).toBe('validation_failed');
    expect(error.fields[0]?.field).toBe('noticeAt');
  });
});

describe('partnerTransition', () => {
  it.each<[PartnerStatus, PartnerEvent, PartnerStatus]>([
    ['active', 'notice', 'leaving'],
    ['leaving', 'withdraw_notice', 'active'],
    ['leaving', 'exit', 'left'],
    ['active', 'revoke', 'revoked'],
    ['leaving', 'revoke', 'revoked'],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(partnerTransition(from, event)).toBe(to);
  });

  it.each<[PartnerStatus, PartnerEvent]>([
    ['active', 'withdraw_notice'],
    ['active', 'exit'],
    ['leaving', 'notice'],
    ['left', 'notice'],
    ['left', 'withdraw_notice'],
    ['left', 'exit'],
    ['left', 'revoke'],
    ['revoked', 'notice'],
    ['revoked', 'withdraw_notice'],
    ['revoked', 'exit'],
    ['revoked', 'revoke'],
  ])('refuses %s --%s-->', (from, event) => {
    const error = caught(() => partnerTransition(from, event));
    expect(error.code).toBe('invalid_state');
    expect(error.message).toContain(from);
  });
});

describe('referralCommission', () => {
  const customer = (
    customerAccountId: string,
    amount: string,
    grants = '0',
  ): ReferralCustomerConsumption => ({ customerAccountId, amount, grants });

  it('charges 10%', () => {
    expect(REFERRAL_COMMISSION_RATE).toBe('0.10');
  });

  it('builds one line per customer, sorted, grants excluded, rounded half-up', () => {
    const result = referralCommission({
      month: '2026-11',
      customers: [customer('cust-b', '1234.56', '100.00'), customer('cust-a', '0.05')],
    });
    expect(result).toEqual({
      lines: [
        {
          customerAccountId: 'cust-a',
          base: '0.05',
          rate: '0.10',
          amount: '0.01',
          description:
            'Referral commission 10% of paid consumption (grants excluded), 2026-11, customer cust-a',
        },
        {
          customerAccountId: 'cust-b',
          base: '1134.56',
          rate: '0.10',
          amount: '113.46',
          description:
            'Referral commission 10% of paid consumption (grants excluded), 2026-11, customer cust-b',
        },
      ],
      total: '113.47',
    });
  });

  it.each<[string, ReferralCustomerConsumption[], string[], string[], string]>([
    // name, customers, bases (sorted), line amounts (sorted), total
    ['.005 rounds up', [customer('a', '0.05')], ['0.05'], ['0.01'], '0.01'],
    ['.025 rounds up, not to even', [customer('a', '0.25')], ['0.25'], ['0.03'], '0.03'],
    ['.0049 rounds down', [customer('a', '0.049')], ['0.049'], ['0.00'], '0.00'],
    ['six decimals', [customer('a', '10.045001', '0.000001')], ['10.045'], ['1.00'], '1.00'],
    [
      'grants equal to the amount',
      [customer('a', '500.00', '500.00'), customer('b', '200', '50')],
      ['0.00', '150.00'],
      ['0.00', '15.00'],
      '15.00',
    ],
    ['zero consumption', [customer('a', '0', '0')], ['0.00'], ['0.00'], '0.00'],
    [
      'total is the sum of rounded lines',
      [customer('x', '0.05'), customer('y', '0.05'), customer('z', '0.05')],
      ['0.05', '0.05', '0.05'],
      ['0.01', '0.01', '0.01'],
      '0.03',
    ],
    [
      'sorted by account id',
      [customer('c', '30'), customer('a', '10'), customer('b', '20')],
      ['10.00', '20.00', '30.00'],
      ['1.00', '2.00', '3.00'],
      '6.00',
    ],
    ['no customers', [], [], [], '0.00'],
  ])('%s', (_name, customers, bases, amounts, total) => {
    const result = referralCommission({ month: '2026-11', customers });
    expect(result.lines.map((line) => line.base)).toEqual(bases);
    expect(result.lines.map((line) => line.amount)).toEqual(amounts);
    expect(result.total).toBe(total);
  });

  it('accepts a rate override', () => {
    const result = referralCommission({
      month: '2026-11',
      rate: '0.15',
      customers: [customer('a', '33.33')],
    });
    // 33.33 × 0.15 = 4.9995 → 5.00
    expect(result.lines[0]).toMatchObject({ rate: '0.15', amount: '5.00' });
    expect(result.lines[0]?.description).toContain('15%');
    expect(result.total).toBe('5.00');
  });

  it.each<[string, Partial<Parameters<typeof referralCommission>[0]>, string[]]>([
    ['negative amount', { customers: [customer('a', '-1.00')] }, ['customers.0.amount']],
    ['negative grants', { customers: [customer('a', '1.00', '-0.01')] }, ['customers.0.grants']],
    [
      'grants over the amount',
      { customers: [customer('a', '10', '10.01')] },
      ['customers.0.grants'],
    ],
    ['seven decimals', { customers: [customer('a', '1.0000001')] }, ['customers.0.amount']],
    ['not a number', { customers: [customer('a', '1e3')] }, ['customers.0.amount']],
    ['empty account id', { customers: [customer('', '1')] }, ['customers.0.customerAccountId']],
    [
      'a customer listed twice',
      { customers: [customer('a', '1'), customer('a', '2')] },
      ['customers.1.customerAccountId'],
    ],
    [
      'every bad field at once',
      { customers: [customer('a', '1'), customer('b', '-5', 'x')] },
      ['customers.1.amount', 'customers.1.grants'],
    ],
    ['a bad month', { month: '2026-13', customers: [] }, ['month']],
    ['a negative rate', { rate: '-0.1', customers: [] }, ['rate']],
    ['a rate over 1', { rate: '1.5', customers: [] }, ['rate']],
  ])('refuses %s', (_name, change, fields) => {
    const error = caught(() => referralCommission({ month: '2026-11', customers: [], ...change }));
    expect(error.code).toBe('validation_failed');
    expect(error.fields.map((problem) => problem.field)).toEqual(fields);
  });
});
