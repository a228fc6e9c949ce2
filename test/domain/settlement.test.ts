/**
 * Golden cases for the VAR month-end settlement (SPEC §2). Every expected amount is written
 * out literally, with the arithmetic beside it, so a reviewer can check it by hand.
 */
import Decimal from 'decimal.js';
import { DomainError } from '../../domain/errors';
import {
  capWithdrawalToBonus,
  isProjectRebateMonth,
  monthlyRate,
  NoRateInForceError,
  projectGrowthAccrual,
  projectRebateWindow,
  rateOn,
  settleVarMonth,
  specializationAccrual,
  VAR_TERMS,
  winningDeal,
  type ConsumptionDay,
  type Deal,
  type InvoiceLine,
  type VarMonthInput,
  type VarSettlement,
  type YearMonth,
} from '../../domain/settlement';

const OWN = 'own';

function input(month: YearMonth, parts: Partial<VarMonthInput> = {}): VarMonthInput {
  return {
    month,
    ownAccountId: OWN,
    terms: VAR_TERMS,
    days: [],
    adjustments: [],
    deals: [],
    projects: [],
    specializations: [],
    rebateWithdrawalToBonus: null,
    ...parts,
  };
}

function day(
  accountId: string,
  date: string,
  amount: string,
  grants = '0',
  eligible = amount,
): ConsumptionDay {
  return { accountId, date, amount, grants, eligible };
}

/** One row per day of the month with the same figures (dates 01 … last). */
function everyDay(accountId: string, month: YearMonth, count: number, amount: string) {
  return Array.from({ length: count }, (_, i) =>
    day(accountId, `${month}-${String(i + 1).padStart(2, '0')}`, amount),
  );
}

function deal(
  dealId: string,
  customerAccountId: string,
  upliftRate: string,
  from: string,
  to: string | null,
): Deal {
  return { dealId, customerAccountId, upliftRate, from, to };
}

/** The lines as "kind amount" strings: a compact golden picture of the invoice. */
function summary(s: VarSettlement): string[] {
  return s.lines.map((l) => `${l.kind}${l.adjusts ? `/${l.adjusts}` : ''} ${l.amount}`);
}

function only(s: VarSettlement, predicate: (l: InvoiceLine) => boolean): InvoiceLine {
  const found = s.lines.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function validationFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation_failed');
    return (error as DomainError).fields.map((f) => f.field);
  }
  throw new Error('expected a validation error');
}

describe('rate schedules', () => {
  it('picks the rate in force on a date, VAT 20% until 2025-12-31 and 22% from 2026-01-01', () => {
    expect(rateOn(VAR_TERMS.vatRates, '2025-12-31')).toBe('0.2');
    expect(rateOn(VAR_TERMS.vatRates, '2026-01-01')).toBe('0.22');
    expect(monthlyRate(VAR_TERMS.vatRates, '2025-12')).toBe('0.2');
    expect(monthlyRate(VAR_TERMS.vatRates, '2026-01')).toBe('0.22');
    expect(monthlyRate(VAR_TERMS.baseBonusRates, '2026-07')).toBe('0.1');
  });

  it('applies an entry dated mid-month from the next month on (the first day decides)', () => {
    const schedule = [
      { from: '2025-01-01', rate: '0.10' },
      { from: '2025-06-15', rate: '0.12' },
    ];
    expect(monthlyRate(schedule, '2025-06')).toBe('0.1');
    expect(monthlyRate(schedule, '2025-07')).toBe('0.12');
    expect(rateOn(schedule, '2025-06-15')).toBe('0.12');
  });

  it('refuses a date before the first entry instead of guessing', () => {
    expect(() => rateOn(VAR_TERMS.baseBonusRates, '2024-12-31', 'base bonus')).toThrow(
      NoRateInForceError,
    );
    expect(() => settleVarMonth(input('2024-12'))).toThrow(
      'No base bonus rate is in force on 2024-12-01: the schedule starts on 2025-01-01',
    );
    expect(() => rateOn([], '2025-01-01')).toThrow(NoRateInForceError);
  });

  it('refuses an unordered schedule or a base bonus above 35%', () => {
    const unordered = [
      { from: '2025-02-01', rate: '0.1' },
      { from: '2025-01-01', rate: '0.1' },
    ];
    expect(() => rateOn(unordered, '2025-03-01')).toThrow(DomainError);
    const tooHigh = { ...VAR_TERMS, baseBonusRates: [{ from: '2025-01-01', rate: '0.36' }] };
    expect(validationFields(() => settleVarMonth(input('2025-12', { terms: tooHigh })))).toEqual([
      'terms.baseBonusRates[0].rate',
    ]);
  });
});

describe('settleVarMonth: golden months', () => {
  it('excludes Marketplace, StoreDoc, Interconnect, grants and own consumption from the base', () => {
    const s = settleVarMonth(
      input('2025-12', {
        days: [
          // c1: 1000.00 in all, of which Marketplace 200.00, StoreDoc 100.00, Interconnect
          // 50.00, and compute 650.00 with 150.00 paid by grants.
          // eligible = 650.00 − 150.00 = 500.00
          day('c1', '2025-12-10', '1000.00', '150.00', '500.00'),
          // c2: 300.00 of compute, no grants: eligible 300.00
          day('c2', '2025-12-11', '300.00'),
          // Own account: 400.00 of compute; its "eligible" is ignored.
          day(OWN, '2025-12-12', '400.00', '0', '400.00'),
        ],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 1300.00', // 1000.00 + 300.00
      'consumption_own 400.00',
      'grants -150.00',
      'base_bonus -80.00', // 10% × (500.00 + 300.00) = 80.00
    ]);
    const bonus = only(s, (l) => l.kind === 'base_bonus');
    expect(bonus).toMatchObject({
      rate: '0.1',
      base: '800.00',
      rule: '10% base bonus on eligible consumption',
    });
    expect(bonus.description).toContain('Marketplace');
    expect(only(s, (l) => l.kind === 'consumption_own').accountId).toBe(OWN);
    expect(s.totals).toEqual({
      consumptionTotal: '1700.00', // 1300.00 + 400.00
      grantsTotal: '150.00',
      eligibleBase: '800.00',
      discountTotal: '80.00',
      rebateWithdrawn: '0.00',
      payable: '1470.00', // 1700.00 − 150.00 − 80.00
      vatIncluded: '245.00', // 1470.00 × 0.20 / 1.20 = 245.00
      relativeDiscount: '0.1000', // 80.00 / 800.00
    });
    expect(s).toMatchObject({ baseBonusRate: '0.1', vatRate: '0.2', withdrawal: null });
  });

  it("invoices the own account's consumption and grants but never gives a bonus on them", () => {
    const s = settleVarMonth(
      input('2025-12', {
        // Own: 250.00, of which 50.00 paid by grants; eligible as reported 200.00 — ignored.
        days: [day(OWN, '2025-12-01', '250.00', '50.00', '200.00')],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 0.00',
      'consumption_own 250.00',
      'grants -50.00',
      'base_bonus 0.00', // no customer consumption: 10% × 0
    ]);
    expect(only(s, (l) => l.kind === 'grants').accountId).toBe(OWN);
    // payable = 250.00 − 50.00 = 200.00; VAT = 200.00 × 0.2 / 1.2 = 33.333… → 33.33
    expect(s.totals).toMatchObject({
      payable: '200.00',
      vatIncluded: '33.33',
      eligibleBase: '0.00',
      relativeDiscount: null,
    });
  });

  it('uplifts a deal linked mid-month only on its 15 linked days of 31', () => {
    const s = settleVarMonth(
      input('2025-12', {
        // c1 has 100.00 eligible on each of the 31 days of December: 3100.00.
        days: everyDay('c1', '2025-12', 31, '100.00'),
        deals: [
          // Linked from 17 December, open-ended: days 17 … 31 = 15 days.
          deal('D-1', 'c1', '0.05', '2025-12-17', null),
          // Ended in November: no line at all.
          deal('D-0', 'c1', '0.15', '2025-06-01', '2025-11-30'),
        ],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 3100.00', // 31 × 100.00
      'consumption_own 0.00',
      'base_bonus -310.00', // 10% × 3100.00
      'deal_uplift -75.00', // 5% × (15 × 100.00) = 5% × 1500.00
    ]);
    const uplift = only(s, (l) => l.kind === 'deal_uplift');
    expect(uplift).toMatchObject({ dealId: 'D-1', accountId: 'c1', rate: '0.05', base: '1500.00' });
    expect(uplift.description).toBe(
      "Deal D-1: +5% on customer c1's eligible consumption while linked, 2025-12-17 … 2025-12-31 (15 days of 2025-12): 1500.00 over 15 days with consumption",
    );
    expect(s.totals).toMatchObject({
      discountTotal: '385.00', // 310.00 + 75.00
      payable: '2715.00', // 3100.00 − 385.00
      relativeDiscount: '0.1242', // 385.00 / 3100.00 = 0.124193… → 0.1242
      vatIncluded: '452.50', // 2715.00 × 0.2 / 1.2 = 452.50
    });
  });

  it('applies only the highest rate when two deals link one customer on the same day', () => {
    const s = settleVarMonth(
      input('2025-12', {
        // c1: 10.00 eligible every day of December: 310.00.
        days: everyDay('c1', '2025-12', 31, '10.00'),
        deals: [
          // Whole month at 5%.
          deal('D-A', 'c1', '0.05', '2025-11-01', null),
          // 11 … 20 December (10 days) at 12%: wins those days.
          deal('D-B', 'c1', '0.12', '2025-12-11', '2025-12-20'),
        ],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 310.00',
      'consumption_own 0.00',
      'base_bonus -31.00', // 10% × 310.00
      'deal_uplift -10.50', // D-A: 5% × (21 days × 10.00) = 5% × 210.00
      'deal_uplift -12.00', // D-B: 12% × (10 days × 10.00) = 12% × 100.00
    ]);
    const a = only(s, (l) => l.dealId === 'D-A');
    expect(a.description).toContain('on 10 days a higher-rate deal for the same customer applied');
    // payable = 310.00 − 31.00 − 10.50 − 12.00 = 256.50
    expect(s.totals).toMatchObject({ discountTotal: '53.50', payable: '256.50' });
  });

  it('breaks a tie between equal rates by the earlier link, then the smaller dealId', () => {
    const x = deal('X', 'c1', '0.10', '2025-12-05', null);
    const y = deal('Y', 'c1', '0.1', '2025-12-01', null);
    const z = deal('A', 'c1', '0.1', '2025-12-01', null);
    expect(winningDeal([x, y], '2025-12-10')?.dealId).toBe('Y');
    expect(winningDeal([x, y, z], '2025-12-10')?.dealId).toBe('A');
    expect(winningDeal([x], '2025-12-04')).toBeUndefined();
    // The link's last day counts.
    expect(
      winningDeal([deal('E', 'c1', '0.1', '2025-12-01', '2025-12-04')], '2025-12-04'),
    ).toBeDefined();
  });

  it('rounds each line half-up on an exact .005', () => {
    const s = settleVarMonth(
      input('2025-12', {
        // 123.455 in all, 0.005 of it on Marketplace: eligible 123.45.
        days: [day('c1', '2025-12-01', '123.455', '0', '123.45')],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 123.46', // 123.455 → 123.46 (half-up; banker's would give 123.46 too)
      'consumption_own 0.00',
      'base_bonus -12.35', // 10% × 123.45 = 12.345 → 12.35 (banker's rounding would give 12.34)
    ]);
    // payable = 123.46 − 12.35 = 111.11; VAT = 111.11 × 0.2 / 1.2 = 18.5183… → 18.52
    expect(s.totals).toMatchObject({ payable: '111.11', vatIncluded: '18.52' });
  });

  it('totals the rounded lines, not the rounded exact total', () => {
    const s = settleVarMonth(input('2025-12', { days: [day('c1', '2025-12-01', '10.005')] }));
    // consumption 10.005 → 10.01; bonus 10% × 10.005 = 1.0005 → 1.00.
    // payable = 10.01 − 1.00 = 9.01, whereas the exact 10.005 − 1.0005 = 9.0045 would round to 9.00.
    expect(summary(s)).toEqual([
      'consumption_customers 10.01',
      'consumption_own 0.00',
      'base_bonus -1.00',
    ]);
    expect(s.totals.payable).toBe('9.01');
  });

  it('states VAT at 20% for December 2025 and at 22% for January 2026', () => {
    // 1200.00 of Marketplace (no bonus): payable 1200.00.
    const december = settleVarMonth(
      input('2025-12', { days: [day('c1', '2025-12-31', '1200.00', '0', '0')] }),
    );
    expect(december.vatRate).toBe('0.2');
    expect(december.totals).toMatchObject({ payable: '1200.00', vatIncluded: '200.00' }); // 1200 × 0.2 / 1.2
    const january = settleVarMonth(
      input('2026-01', { days: [day('c1', '2026-01-01', '1220.00', '0', '0')] }),
    );
    expect(january.vatRate).toBe('0.22');
    expect(january.totals).toMatchObject({ payable: '1220.00', vatIncluded: '220.00' }); // 1220 × 0.22 / 1.22
    expect(january.vat).toEqual([
      { rate: '0.22', months: ['2026-01'], payable: '1220.00', vat: '220.00' },
    ]);
    const odd = settleVarMonth(
      input('2026-01', { days: [day('c1', '2026-01-01', '1000.00', '0', '0')] }),
    );
    expect(odd.totals.vatIncluded).toBe('180.33'); // 1000 × 0.22 / 1.22 = 180.3278… → 180.33
  });

  it("settles late December consumption on January's invoice at December's terms", () => {
    const s = settleVarMonth(
      input('2026-01', {
        // January: 1220.00 of Marketplace only (no bonus).
        days: [day('c1', '2026-01-15', '1220.00', '0', '0')],
        // Arrived after December was closed: 600.00 eligible on 30 December, 80.00 of own.
        adjustments: [
          day('c1', '2025-12-30', '600.00'),
          day(OWN, '2025-12-31', '80.00', '20.00', '60.00'),
        ],
        // Linked for December only: uplifts the late days, not January.
        deals: [deal('D-1', 'c1', '0.10', '2025-12-01', '2025-12-31')],
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 1220.00',
      'consumption_own 0.00',
      'base_bonus 0.00', // January eligible 0
      'adjustment/consumption_customers 600.00',
      'adjustment/consumption_own 80.00',
      'adjustment/grants -20.00',
      'adjustment/base_bonus -60.00', // December's 10% × 600.00
      'adjustment/deal_uplift -60.00', // D-1: 10% × 600.00 (30 December is linked)
    ]);
    for (const line of s.lines.filter((l) => l.kind === 'adjustment')) {
      expect(line.forMonth).toBe('2025-12');
    }
    expect(s.vat).toEqual([
      // December part: 600.00 + 80.00 − 20.00 − 60.00 − 60.00 = 540.00; 540 × 0.2 / 1.2 = 90.00
      { rate: '0.2', months: ['2025-12'], payable: '540.00', vat: '90.00' },
      // January part: 1220.00; 1220 × 0.22 / 1.22 = 220.00
      { rate: '0.22', months: ['2026-01'], payable: '1220.00', vat: '220.00' },
    ]);
    expect(s.totals).toEqual({
      consumptionTotal: '1900.00', // 1220.00 + 600.00 + 80.00
      grantsTotal: '20.00',
      eligibleBase: '600.00', // 0 + 600.00 (own late consumption never counts)
      discountTotal: '120.00', // 60.00 + 60.00
      rebateWithdrawn: '0.00',
      payable: '1760.00', // 1900.00 − 20.00 − 120.00
      vatIncluded: '310.00', // 90.00 + 220.00
      relativeDiscount: '0.2000', // 120.00 / 600.00
    });
  });

  it("caps a withdrawal to Bonus at the customers' payable, leaving own consumption payable", () => {
    const s = settleVarMonth(
      input('2025-12', {
        days: [day('c1', '2025-12-05', '1000.00'), day(OWN, '2025-12-05', '500.00', '0', '0')],
        rebateWithdrawalToBonus: { requested: '1200.00', balance: '5000.00' },
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 1000.00',
      'consumption_own 500.00',
      'base_bonus -100.00', // 10% × 1000.00
      'rebate_withdrawal -900.00', // customers' payable = 1000.00 − 100.00 = 900.00 < 1200.00
    ]);
    expect(s.withdrawal).toMatchObject({
      requested: '1200.00',
      applied: '900.00',
      cappedBy: 'customers_payable',
    });
    expect(s.withdrawal?.explanation).toContain('the other 300.00 of the request is not withdrawn');
    // payable = 1500.00 − 100.00 − 900.00 = 500.00 (the own consumption); VAT 500 × 0.2/1.2 = 83.33
    expect(s.totals).toMatchObject({
      payable: '500.00',
      rebateWithdrawn: '900.00',
      discountTotal: '100.00',
      vatIncluded: '83.33',
    });
  });

  it('caps a withdrawal at the rebate balance the caller read', () => {
    const s = settleVarMonth(
      input('2025-12', {
        days: [day('c1', '2025-12-05', '1000.00')],
        rebateWithdrawalToBonus: { requested: '300.00', balance: '250.00' },
      }),
    );
    expect(s.withdrawal).toMatchObject({ applied: '250.00', cappedBy: 'balance' });
    // 1000.00 − 100.00 − 250.00 = 650.00
    expect(s.totals.payable).toBe('650.00');
  });

  it('never takes the payable below zero', () => {
    const s = settleVarMonth(
      input('2025-12', {
        // Everything paid by grants: nothing is payable, nothing earns a bonus.
        days: [day('c1', '2025-12-05', '500.00', '500.00', '0')],
        rebateWithdrawalToBonus: { requested: '100.00', balance: '100.00' },
      }),
    );
    expect(summary(s)).toEqual([
      'consumption_customers 500.00',
      'consumption_own 0.00',
      'grants -500.00',
      'base_bonus 0.00',
      'rebate_withdrawal 0.00', // customers' payable 500.00 − 500.00 − 0.00 = 0.00
    ]);
    expect(s.withdrawal).toMatchObject({ applied: '0.00', cappedBy: 'customers_payable' });
    expect(s.totals).toMatchObject({
      payable: '0.00',
      vatIncluded: '0.00',
      rebateWithdrawn: '0.00',
    });
  });

  it('emits the withdrawal line last and debits only the applied amount', () => {
    const s = settleVarMonth(
      input('2025-12', {
        days: [day('c1', '2025-12-05', '100.00')],
        rebateWithdrawalToBonus: { requested: '40.00', balance: '40.00' },
      }),
    );
    expect(s.lines.at(-1)).toMatchObject({ kind: 'rebate_withdrawal', amount: '-40.00' });
    expect(s.withdrawal).toMatchObject({ applied: '40.00', cappedBy: 'none' });
    expect(s.totals.payable).toBe('50.00'); // 100.00 − 10.00 − 40.00
  });
});

describe('rebate accruals', () => {
  it('credits project growth above the baseline and nothing below it', () => {
    const s = settleVarMonth(
      input('2025-12', {
        projects: [
          {
            projectId: 'P-up',
            registeredOn: '2025-03-10',
            baselineMonthly: '1000.00',
            rate: '0.12',
            consumptionThisMonth: '1500.50',
          },
          {
            projectId: 'P-down',
            registeredOn: '2025-03-10',
            baselineMonthly: '1000.00',
            rate: '0.12',
            consumptionThisMonth: '800.00',
          },
        ],
      }),
    );
    expect(s.rebateAccruals).toHaveLength(2);
    // 12% × (1500.50 − 1000.00) = 12% × 500.50 = 60.06
    expect(s.rebateAccruals[0]).toMatchObject({
      kind: 'project_growth',
      projectId: 'P-up',
      rate: '0.12',
      base: '500.50',
      amount: '60.06',
      period: '2025-12',
      window: { firstMonth: '2025-04', lastMonth: '2026-03' },
    });
    expect(s.rebateAccruals[0]!.description).toContain('rebate month 9 of 12');
    // max(0, 800.00 − 1000.00) = 0 → 0.00
    expect(s.rebateAccruals[1]).toMatchObject({
      projectId: 'P-down',
      base: '0.00',
      amount: '0.00',
    });
    expect(s.rebateAccruals[1]!.description).toContain('no growth');
    // Accruals go to the rebate balance, never onto the invoice.
    expect(s.totals.payable).toBe('0.00');
  });

  it('rounds a project rebate half-up', () => {
    // 15% × (1333.33 − 1000.00) = 15% × 333.33 = 49.9995 → 50.00
    const accrual = projectGrowthAccrual(
      {
        projectId: 'P',
        registeredOn: '2025-06-01',
        baselineMonthly: '1000.00',
        rate: '0.15',
        consumptionThisMonth: '1333.33',
      },
      '2025-12',
    );
    expect(accrual.amount).toBe('50.00');
  });

  it('counts the 12 months after the registration month, not the registration month', () => {
    expect(projectRebateWindow('2024-12-31')).toEqual({
      firstMonth: '2025-01',
      lastMonth: '2025-12',
    });
    const project = (registeredOn: string) => ({
      projectId: 'P',
      registeredOn,
      baselineMonthly: '100.00',
      rate: '0.10',
      consumptionThisMonth: '300.00', // growth 200.00 → 10% = 20.00 when in the window
    });
    // Registered 2024-12-31: December 2025 is month 12 of 12, the last one.
    const last = projectGrowthAccrual(project('2024-12-31'), '2025-12');
    expect(last.amount).toBe('20.00');
    expect(last.description).toContain('rebate month 12 of 12');
    // Registered 2024-11-30: months 2024-12 … 2025-11; December 2025 is one month too late.
    const after = projectGrowthAccrual(project('2024-11-30'), '2025-12');
    expect(after.amount).toBe('0.00');
    expect(after.description).toContain('rebate months 2024-12 … 2025-11 have ended');
    // Registered in the month being settled: its first rebate month is the next one.
    const registrationMonth = projectGrowthAccrual(project('2025-12-01'), '2025-12');
    expect(registrationMonth.amount).toBe('0.00');
    expect(registrationMonth.description).toContain('start in 2026-01');
    // Registered on the last day of November: December 2025 is month 1 of 12.
    expect(projectGrowthAccrual(project('2025-11-30'), '2025-12').amount).toBe('20.00');
    expect(isProjectRebateMonth('2024-12-31', '2025-12')).toBe(true);
    expect(isProjectRebateMonth('2024-12-31', '2026-01')).toBe(false);
    expect(isProjectRebateMonth('2024-12-31', '2024-12')).toBe(false);
  });

  it('credits the specialization rebate in the quarter-end month only', () => {
    const s = settleVarMonth(
      input('2025-12', {
        specializations: [
          {
            specialization: 'Data Platform',
            rate: '0.05',
            eligibleConsumptionInQuarter: '12345.67',
          },
        ],
      }),
    );
    // 5% × 12345.67 = 617.2835 → 617.28
    expect(s.rebateAccruals).toEqual([
      expect.objectContaining({
        kind: 'specialization',
        specialization: 'Data Platform',
        period: '2025-Q4',
        base: '12345.67',
        amount: '617.28',
      }),
    ]);
    const entry = { specialization: 'X', rate: '0.05', eligibleConsumptionInQuarter: '1.00' };
    expect(
      validationFields(() => settleVarMonth(input('2025-11', { specializations: [entry] }))),
    ).toEqual(['specializations']);
    expect(() => specializationAccrual(entry, '2026-02')).toThrow(DomainError);
    expect(specializationAccrual(entry, '2026-03').period).toBe('2026-Q1');
  });
});

describe('capWithdrawalToBonus', () => {
  it('applies the request in full when both limits allow it', () => {
    expect(
      capWithdrawalToBonus('100.00', { balance: '100.00', customersPayable: '150.00' }),
    ).toMatchObject({ applied: '100.00', cappedBy: 'none' });
  });

  it('caps at the balance, then at the customers’ payable, and says which', () => {
    expect(capWithdrawalToBonus('100', { balance: '60.5' })).toMatchObject({
      requested: '100.00',
      applied: '60.50',
      cappedBy: 'balance',
      explanation:
        'Rebate withdrawal to Bonus: requested 100.00, but the rebate balance is 60.50: 60.50 applied',
    });
    expect(
      capWithdrawalToBonus('100.00', { balance: '80.00', customersPayable: '30.00' }),
    ).toMatchObject({ applied: '30.00', cappedBy: 'customers_payable' });
  });

  it('refuses amounts that are not kopecks', () => {
    expect(() => capWithdrawalToBonus('1.005', {})).toThrow(DomainError);
    expect(() => capWithdrawalToBonus('-1.00', {})).toThrow(DomainError);
  });
});

describe('settleVarMonth: bad input', () => {
  it('lists every bad field at once', () => {
    const fields = validationFields(() =>
      settleVarMonth(
        input('2025-12', {
          days: [
            day('c1', '2025-11-30', '1.00'), // not in December
            day('c1', '2025-12-01', '1.00', '2.00', '0'), // grants > amount
            day('c1', '2025-12-02', '1.00', '0.50', '0.60'), // eligible > amount − grants
            day('c1', '2025-12-03', '1.0000001'), // 7 decimals
            day('c1', '2025-12-03', '-1.00', '0', '0'), // negative, and a repeated (account, day)
          ],
          adjustments: [day('c1', '2025-12-01', '1.00')], // not in an earlier month
          deals: [
            deal('D', 'c1', '0.16', '2025-12-01', null), // above 15 pp
            deal('D', OWN, '0.10', '2025-12-10', '2025-12-01'), // repeated id, own account, to < from
          ],
          rebateWithdrawalToBonus: { requested: '1.001', balance: '0' },
        }),
      ),
    );
    expect(fields).toEqual([
      'days[0].date',
      'days[1].grants',
      'days[2].eligible',
      'days[3].amount',
      'days[3].eligible',
      'days[4].amount',
      'days[4]',
      'adjustments[0].date',
      'deals[0].upliftRate',
      'deals[1].dealId',
      'deals[1].customerAccountId',
      'deals[1].to',
      'rebateWithdrawalToBonus.requested',
    ]);
  });

  it('refuses a malformed month', () => {
    expect(() => settleVarMonth(input('2025-13'))).toThrow(DomainError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random months, from a small seeded PRNG so a failure reproduces exactly.

/** mulberry32: a 32-bit seeded generator, good enough to spread test cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMonth(seed: number): { input: VarMonthInput; maxUplift: Decimal } {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  /** A decimal string with 6 decimals from an integer count of millionths of a ruble. */
  const micro = (units: number) => {
    const s = String(units).padStart(7, '0');
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  };
  // Mostly everyday amounts, sometimes a few kopecks, so rounding edges get exercised.
  const amountUnits = () => (rand() < 0.3 ? int(50_000) : int(2_000_000_000));
  const months = ['2025-03', '2025-11', '2025-12', '2026-01', '2026-02', '2026-06'];
  const month = months[int(months.length)]!;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const dim = (ym: string) => new Date(Date.UTC(+ym.slice(0, 4), +ym.slice(5, 7), 0)).getUTCDate();
  const date = (ym: string, d: number) => `${ym}-${String(d).padStart(2, '0')}`;

  const accounts = [OWN, ...Array.from({ length: 1 + int(5) }, (_, i) => `c${i}`)];
  const rows = (ym: string, density: number): ConsumptionDay[] => {
    const out: ConsumptionDay[] = [];
    for (const accountId of accounts) {
      for (let d = 1; d <= dim(ym); d++) {
        if (rand() >= density) continue;
        const amount = amountUnits();
        const grants = rand() < 0.3 ? int(amount + 1) : 0;
        const eligible = rand() < 0.2 ? 0 : int(amount - grants + 1);
        out.push({
          accountId,
          date: date(ym, d),
          amount: micro(amount),
          grants: micro(grants),
          eligible: micro(eligible),
        });
      }
    }
    return out;
  };
  const days = rows(month, rand());
  const adjustments = rand() < 0.4 ? rows(previous, 0.1) : [];

  const deals: Deal[] = [];
  let maxUplift = new Decimal(0);
  for (let i = int(5); i > 0; i--) {
    const rate = new Decimal(1 + int(1500)).dividedBy(10_000); // 0.0001 … 0.15
    maxUplift = Decimal.max(maxUplift, rate);
    const fromMonth = rand() < 0.5 ? previous : month;
    const from = date(fromMonth, 1 + int(dim(fromMonth)));
    const to = rand() < 0.4 ? null : date(month, 1 + int(dim(month)));
    deals.push({
      dealId: `D${i}`,
      customerAccountId: accounts[1 + int(accounts.length - 1)]!,
      upliftRate: rate.toFixed(),
      from,
      to: to !== null && to < from ? from : to,
    });
  }
  const rebateWithdrawalToBonus =
    rand() < 0.5
      ? {
          requested: micro(int(3_000_000_000)).slice(0, -4),
          balance: micro(int(3_000_000_000)).slice(0, -4),
        }
      : null;
  return {
    input: input(month, { days, adjustments, deals, rebateWithdrawalToBonus }),
    maxUplift,
  };
}

describe('settleVarMonth: properties over 300 random months', () => {
  const cases = Array.from({ length: 300 }, (_, i) => 1000 + i);
  const KOPECKS = /^-?\d+\.\d{2}$/;

  it.each(cases)('seed %i', (seed) => {
    const { input: month, maxUplift } = randomMonth(seed);
    const s = settleVarMonth(month);
    const amount = (l: InvoiceLine) => new Decimal(l.amount);
    const sum = (ls: readonly InvoiceLine[]) =>
      ls.reduce((t, l) => t.plus(amount(l)), new Decimal(0));

    // Every line is whole kopecks.
    for (const line of s.lines) expect(line.amount).toMatch(KOPECKS);
    // The lines add up to the payable, and the totals to the same figure.
    const t = s.totals;
    expect(sum(s.lines).toFixed(2)).toBe(t.payable);
    expect(
      new Decimal(t.consumptionTotal)
        .minus(t.grantsTotal)
        .minus(t.discountTotal)
        .minus(t.rebateWithdrawn)
        .toFixed(2),
    ).toBe(t.payable);
    // Never below zero; the VAT parts add up.
    expect(new Decimal(t.payable).isNegative()).toBe(false);
    expect(s.vat.reduce((a, p) => a.plus(p.payable), new Decimal(0)).toFixed(2)).toBe(t.payable);
    expect(s.vat.reduce((a, p) => a.plus(p.vat), new Decimal(0)).toFixed(2)).toBe(t.vatIncluded);

    // The discount stays within base rate + highest uplift on the eligible base, allowing each
    // discount line its half-kopeck of rounding.
    const exactEligible = [...month.days, ...month.adjustments]
      .filter((d) => d.accountId !== OWN)
      .reduce((a, d) => a.plus(d.eligible), new Decimal(0));
    const discountLines = s.lines.filter(
      (l) =>
        l.kind === 'base_bonus' ||
        l.kind === 'deal_uplift' ||
        l.adjusts === 'base_bonus' ||
        l.adjusts === 'deal_uplift',
    );
    const bound = exactEligible
      .times(new Decimal('0.1').plus(maxUplift))
      .plus(new Decimal('0.005').times(discountLines.length));
    expect(new Decimal(t.discountTotal).lte(bound)).toBe(true);
    expect(sum(discountLines).negated().toFixed(2)).toBe(t.discountTotal);

    // Each rated line is reproducible from its own rate and base.
    for (const line of discountLines) {
      const expected = new Decimal(line.rate!)
        .times(line.base!)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      expect(amount(line).negated().toFixed(2)).toBe(expected.toFixed(2));
    }

    // The withdrawal never exceeds the request or the balance.
    if (s.withdrawal) {
      const w = month.rebateWithdrawalToBonus!;
      expect(new Decimal(s.withdrawal.applied).lte(w.requested)).toBe(true);
      expect(new Decimal(s.withdrawal.applied).lte(w.balance)).toBe(true);
    }

    // The order rows arrive in does not matter.
    const shuffled = settleVarMonth({
      ...month,
      days: [...month.days].reverse(),
      adjustments: [...month.adjustments].reverse(),
      deals: [...month.deals].reverse(),
    });
    expect(shuffled).toEqual(s);
  });
});
