import { DomainError } from '../../domain/errors';
import {
  REFERRAL_COMMISSION_RATE,
  referralCommission,
  referralStatement,
  type ReferralCustomerConsumption,
} from '../../domain/referral';

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

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

describe('referralStatement', () => {
  const rateFor = () => '0.1';
  it('puts the month first, then late consumption oldest first, each at its own rate', () => {
    const statement = referralStatement({
      month: '2026-12',
      rateFor: (month) => (month === '2026-10' ? '0.08' : '0.1'),
      consumption: [
        { customerAccountId: 'cust-b', forMonth: '2026-11', amount: '50.00', grants: '0' },
        { customerAccountId: 'cust-b', forMonth: '2026-12', amount: '1000.00', grants: '250.00' },
        { customerAccountId: 'cust-a', forMonth: '2026-12', amount: '12.345', grants: '0' },
        { customerAccountId: 'cust-a', forMonth: '2026-10', amount: '99.99', grants: '0' },
      ],
    });
    // Hand-computed: 12.345 × 0.1 = 1.2345 → 1.23; 750 × 0.1 = 75.00;
    // 99.99 × 0.08 = 7.9992 → 8.00; 50 × 0.1 = 5.00. Total 1.23 + 75 + 8 + 5 = 89.23.
    expect(statement.lines.map((l) => [l.forMonth, l.customerAccountId, l.base, l.amount])).toEqual(
      [
        ['2026-12', 'cust-a', '12.345', '1.23'],
        ['2026-12', 'cust-b', '750.00', '75.00'],
        ['2026-10', 'cust-a', '99.99', '8.00'],
        ['2026-11', 'cust-b', '50.00', '5.00'],
      ],
    );
    expect(statement.total).toBe('89.23');
    expect(statement.baseTotal).toBe('912.335');
    expect(statement.lines[2]?.description).toBe(
      'Referral commission 8% of paid consumption (grants excluded), 2026-10, customer cust-a — late consumption, settled in 2026-12',
    );
  });

  it('is empty for no consumption', () => {
    expect(referralStatement({ month: '2026-12', rateFor, consumption: [] })).toEqual({
      lines: [],
      baseTotal: '0.00',
      total: '0.00',
    });
  });

  it('refuses consumption for a later month, and names bad fields by month', () => {
    const later = caught(() =>
      referralStatement({
        month: '2026-12',
        rateFor,
        consumption: [{ customerAccountId: 'a', forMonth: '2027-01', amount: '1', grants: '0' }],
      }),
    );
    expect(later.fields.map((p) => p.field)).toEqual(['consumption.0.forMonth']);
    const bad = caught(() =>
      referralStatement({
        month: '2026-12',
        rateFor,
        consumption: [{ customerAccountId: 'a', forMonth: '2026-11', amount: '-1', grants: '0' }],
      }),
    );
    expect(bad.fields.map((p) => p.field)).toEqual(['2026-11.customers.0.amount']);
  });
});
