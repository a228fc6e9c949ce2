import {
  usageDateRange,
  consumptionLineProblems,
  isCalendarDate,
  type ConsumptionLineInput,
} from '../../domain/consumption';

const good: ConsumptionLineInput = {
  sourceId: 'bill-2026-03-000001',
  billingAccountId: 'ba-1001-main',
  cloudId: 'cloud-1',
  folderId: 'folder-1',
  serviceId: 'compute',
  sku: 'compute.vcpu.standard',
  usageDate: '2026-03-15',
  amount: '1234.567891',
  grantAmount: '34.5',
};

const problems = (change: Partial<ConsumptionLineInput>, index = 0) =>
  consumptionLineProblems({ ...good, ...change }, index);

describe('consumptionLineProblems', () => {
  it('accepts a complete line', () => {
    expect(problems({})).toEqual([]);
  });

  it.each<[string, Partial<ConsumptionLineInput>]>([
    ['grant equal to the amount', { amount: '10', grantAmount: '10.000000' }],
    ['zero amount and grant', { amount: '0', grantAmount: '0' }],
    ['14 integer digits', { amount: '99999999999999.999999', grantAmount: '0' }],
    ['leading zeros do not count as digits', { amount: '000099999999999999.5' }],
    ['a 200-character source id', { sourceId: 's'.repeat(200) }],
    ['quotes, commas and braces in ids', { sourceId: 'a,"b"{c}\\d', sku: 'NULL' }],
    ['29 February of a leap year', { usageDate: '2028-02-29' }],
    ['29 February of 2000 (divisible by 400)', { usageDate: '2000-02-29' }],
    ['31 December', { usageDate: '2026-12-31' }],
  ])('accepts %s', (_name, change) => {
    expect(problems(change)).toEqual([]);
  });

  it.each<[string, Partial<ConsumptionLineInput>, string, string]>([
    ['an empty source id', { sourceId: '' }, 'sourceId', 'must not be empty'],
    ['a blank source id', { sourceId: '   ' }, 'sourceId', 'must not be empty'],
    [
      'a 201-character source id',
      { sourceId: 's'.repeat(201) },
      'sourceId',
      'must be at most 200 characters',
    ],
    ['a NUL in an id', { cloudId: 'a\u0000b' }, 'cloudId', 'must not contain NUL characters'],
    ['an empty billing account', { billingAccountId: '' }, 'billingAccountId', 'must not be empty'],
    ['an empty cloud', { cloudId: '' }, 'cloudId', 'must not be empty'],
    ['an empty folder', { folderId: '' }, 'folderId', 'must not be empty'],
    ['an empty service', { serviceId: '' }, 'serviceId', 'must not be empty'],
    ['an empty SKU', { sku: '' }, 'sku', 'must not be empty'],
    ['a long SKU', { sku: 'k'.repeat(201) }, 'sku', 'must be at most 200 characters'],
  ])('refuses %s', (_name, change, field, message) => {
    expect(problems(change, 3)).toEqual([{ field: `lines.3.${field}`, message }]);
  });

  const NOT_A_DATE = 'must be a calendar date in the form YYYY-MM-DD';
  it.each([
    '2026-02-29', // 2026 is not a leap year
    '2100-02-29', // divisible by 100, not by 400
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0000-01-01',
    '2026-1-5',
    '2026/01/05',
    '2026-01-05T00:00:00Z',
    '20260105',
    '',
  ])('refuses the usage date "%s"', (usageDate) => {
    expect(problems({ usageDate })).toEqual([{ field: 'lines.0.usageDate', message: NOT_A_DATE }]);
  });

  const NOT_DECIMAL = 'must be a non-negative decimal number such as "1234.567891"';
  it.each<[string, string, string]>([
    ['7 decimals', '1.1234567', 'must have at most 6 decimals'],
    [
      '15 integer digits',
      '100000000000000',
      'must have at most 14 digits before the decimal point',
    ],
    ['a negative amount', '-1', NOT_DECIMAL],
    ['an exponent', '1e3', NOT_DECIMAL],
    ['a comma decimal separator', '1,5', NOT_DECIMAL],
    ['a trailing point', '1.', NOT_DECIMAL],
    ['a leading point', '.5', NOT_DECIMAL],
    ['a plus sign', '+1', NOT_DECIMAL],
    ['spaces', ' 1', NOT_DECIMAL],
    ['an empty amount', '', NOT_DECIMAL],
  ])('refuses an amount with %s', (_name, amount, message) => {
    expect(problems({ amount, grantAmount: '0' })).toEqual([{ field: 'lines.0.amount', message }]);
    expect(problems({ amount: '1000', grantAmount: amount })).toEqual([
      { field: 'lines.0.grantAmount', message },
    ]);
  });

  it('refuses grants above the amount', () => {
    expect(problems({ amount: '10.000001', grantAmount: '10.000002' })).toEqual([
      { field: 'lines.0.grantAmount', message: 'must not exceed the amount' },
    ]);
    // Compared as decimals, not as text or floating point.
    expect(problems({ amount: '9', grantAmount: '10' })).toHaveLength(1);
    expect(
      problems({ amount: '99999999999999.999999', grantAmount: '99999999999999.999998' }),
    ).toEqual([]);
  });

  it('reports every broken rule of a line, in field order', () => {
    expect(
      problems(
        { sourceId: '', sku: '', usageDate: '2026-02-30', amount: 'x', grantAmount: '-1' },
        7,
      ).map((p) => p.field),
    ).toEqual([
      'lines.7.sourceId',
      'lines.7.sku',
      'lines.7.usageDate',
      'lines.7.amount',
      'lines.7.grantAmount',
    ]);
  });

  it('reports values of the wrong type instead of throwing', () => {
    const line = { ...good, amount: 12 as unknown as string, cloudId: null as unknown as string };
    expect(consumptionLineProblems(line, 0)).toEqual([
      { field: 'lines.0.cloudId', message: 'must not be empty' },
      { field: 'lines.0.amount', message: 'must be a decimal string' },
    ]);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['1900-02-29', false],
    ['2026-06-30', true],
    ['2026-06-31', false],
  ])('%s → %s', (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });
});

describe('usageDateRange', () => {
  it.each<[string, { from: string; to: string }]>([
    ['2026-02', { from: '2026-02-01', to: '2026-03-01' }],
    ['2025-12', { from: '2025-12-01', to: '2026-01-01' }],
    ['0001-01', { from: '0001-01-01', to: '0001-02-01' }],
    // No line can be dated in year 0: the range is empty instead of a date PostgreSQL refuses.
    ['0000-06', { from: '0001-01-01', to: '0001-01-01' }],
    ['0000-12', { from: '0001-01-01', to: '0001-01-01' }],
    ['9999-12', { from: '9999-12-01', to: '10000-01-01' }],
  ])('%s', (month, range) => {
    expect(usageDateRange(month)).toEqual(range);
  });
});
