import {
  commissionPayoutStatus,
  csvMoney,
  financeMonthTotals,
  payoutRegister,
  rebateWithdrawnOf,
  type FinanceInvoiceRow,
  type PayoutRow,
} from '../../domain/finance';

const invoice = (over: Partial<FinanceInvoiceRow>): FinanceInvoiceRow => ({
  kind: 'monthly',
  consumptionTotal: '0.00',
  grantsTotal: '0.00',
  discountTotal: '0.00',
  rebateWithdrawn: '0.00',
  payable: '0.00',
  vatAmount: '0.00',
  ...over,
});

describe('financeMonthTotals', () => {
  it('sums every column over the month’s invoices of every kind', () => {
    const totals = financeMonthTotals({
      invoices: [
        invoice({
          consumptionTotal: '1050.00',
          discountTotal: '100.00',
          payable: '950.00',
          vatAmount: '158.33',
        }),
        invoice({
          kind: 'interim',
          consumptionTotal: '2000.10',
          grantsTotal: '300.05',
          discountTotal: '170.01',
          rebateWithdrawn: '30.00',
          payable: '1500.04',
          vatAmount: '250.01',
        }),
        invoice({ kind: 'final', consumptionTotal: '0.01', payable: '0.01' }),
      ],
      commissionTotals: ['10.10', '0.00', '5.05'],
      payouts: [
        { status: 'paid', amount: '300.00' },
        { status: 'awaiting_bank_details', amount: '120.50' },
        { status: 'paid', amount: '0.01' },
      ],
    });
    expect(totals).toEqual({
      invoices: { count: 3, monthly: 1, interim: 1, final: 1 },
      consumptionTotal: '3050.11', // 1 050.00 + 2 000.10 + 0.01
      grantsTotal: '300.05', // 0 + 300.05 + 0
      discountTotal: '270.01', // 100.00 + 170.01
      rebateWithdrawn: '30.00',
      payable: '2450.05', // 950.00 + 1 500.04 + 0.01
      vatAmount: '408.34', // 158.33 + 250.01
      commission: { count: 3, total: '15.15' }, // 10.10 + 0.00 + 5.05
      payouts: {
        count: 3,
        total: '420.51', // 300.00 + 120.50 + 0.01
        byStatus: {
          awaiting_bank_details: { count: 1, total: '120.50' },
          payable: { count: 0, total: '0.00' },
          paid: { count: 2, total: '300.01' }, // 300.00 + 0.01
        },
      },
    });
  });

  it('gives zeros for a month without invoices', () => {
    const totals = financeMonthTotals({ invoices: [], commissionTotals: [], payouts: [] });
    expect(totals.invoices.count).toBe(0);
    expect(totals.payable).toBe('0.00');
    expect(totals.payouts.total).toBe('0.00');
  });
});

describe('rebateWithdrawnOf', () => {
  it('turns the invoice’s withdrawal lines into a positive amount, ignoring other lines', () => {
    const lines = [
      { kind: 'consumption_customers', amount: '1000.00' },
      { kind: 'base_bonus', amount: '-100.00' },
      { kind: 'rebate_withdrawal', amount: '-250.25' },
      { kind: 'rebate_withdrawal', amount: '-49.75' },
    ];
    expect(rebateWithdrawnOf(lines)).toBe('300.00'); // −(−250.25 − 49.75)
    expect(rebateWithdrawnOf([])).toBe('0.00');
  });
});

describe('commissionPayoutStatus', () => {
  it.each([
    [{ bik: '044525225', account: '40702810938000000001' }, 'payable'],
    [{ bik: null, account: null }, 'awaiting_bank_details'],
    [{ bik: '044525225', account: '40702810938000000002' }, 'awaiting_bank_details'],
  ] as const)('%j → %s', (details, status) => {
    expect(commissionPayoutStatus(details)).toBe(status);
  });
});

describe('payoutRegister', () => {
  const row = (over: Partial<PayoutRow>): PayoutRow => ({
    kind: 'rebate_withdrawal',
    status: 'paid',
    month: '2025-06',
    amount: '10.00',
    at: '2025-06-10T10:00:00.000Z',
    reference: 'a',
    ...over,
  });
  const rows = [
    row({ reference: 'old' }),
    row({ reference: 'new', at: '2025-07-01T10:00:00.000Z', month: '2025-07' }),
    row({ reference: 'held', kind: 'final_payout', status: 'awaiting_bank_details' }),
    row({ reference: 'zero', kind: 'commission', status: 'payable', amount: '0.00' }),
  ];

  it('lists newest first and leaves out zero amounts', () => {
    expect(payoutRegister(rows, {}).map((r) => r.reference)).toEqual(['new', 'held', 'old']);
  });

  it('filters by status and by month', () => {
    expect(
      payoutRegister(rows, { status: 'awaiting_bank_details' }).map((r) => r.reference),
    ).toEqual(['held']);
    expect(payoutRegister(rows, { month: '2025-06' }).map((r) => r.reference)).toEqual([
      'held',
      'old',
    ]);
  });
});

describe('csvMoney', () => {
  it.each([
    ['1234.5', '1234,50'],
    ['-0.01', '-0,01'],
    ['0', '0,00'],
    ['125400.50', '125400,50'],
  ])('%s → %s', (amount, text) => {
    expect(csvMoney(amount)).toBe(text);
  });
});
