import { settleVarMonth, VAR_TERMS, type VarMonthInput } from '../../domain/settlement';
import { LINE_KINDS, lineParams, storedLineParams } from '../../domain/settlement/line-codes';
import { fillTemplate, templateParams } from '../../domain/templates';

const OWN = 'own';
const day = (accountId: string, date: string, amount: string, grants = '0', eligible = amount) => ({
  accountId,
  date,
  amount,
  grants,
  eligible,
});

/** A January with every kind of line: grants on both sides, a deal, late December, a withdrawal. */
const january: VarMonthInput = {
  month: '2026-01',
  ownAccountId: OWN,
  terms: VAR_TERMS,
  days: [
    day('c1', '2026-01-15', '1220.00', '20.00', '1000.00'),
    day(OWN, '2026-01-16', '100.00', '10.00', '90.00'),
  ],
  adjustments: [
    day('c1', '2025-12-30', '600.00', '15.00', '585.00'),
    day(OWN, '2025-12-31', '80.00', '20.00', '60.00'),
  ],
  deals: [
    { dealId: 'D-1', customerAccountId: 'c1', upliftRate: '0.05', from: '2025-12-01', to: null },
  ],
  projects: [],
  specializations: [],
  rebateWithdrawalToBonus: { requested: '100.00', balance: '5000.00' },
};

describe('the catalogue of invoice line kinds', () => {
  const { lines } = settleVarMonth(january);

  it('covers every kind of line the settlement writes', () => {
    const kinds = new Set(lines.map((line) => line.kind));
    expect([...kinds].sort()).toEqual(Object.keys(LINE_KINDS).sort());
    for (const line of lines) expect(LINE_KINDS).toHaveProperty(line.kind);
  });

  it('gives each line the parameters its kind names, and its templates use only those', () => {
    for (const line of lines) {
      const entry = LINE_KINDS[line.kind];
      const params = Object.keys(lineParams(line, january.month));
      const allowed: string[] = [...entry.params, ...entry.optional];
      expect(params).toEqual(expect.arrayContaining([...entry.params]));
      for (const name of params) expect(allowed).toContain(name);
      for (const name of templateParams(entry.en.description + entry.en.rule)) {
        expect(allowed).toContain(name);
      }
    }
  });

  it('reads the base bonus rule from its parameters as the settlement words it', () => {
    const bonus = lines.find((line) => line.kind === 'base_bonus')!;
    const params = lineParams(bonus, january.month);
    expect(params).toMatchObject({ month: '2026-01', rate: '0.1', percent: '10' });
    expect(fillTemplate(LINE_KINDS.base_bonus.en.rule, params)).toBe(
      '10% base bonus on eligible consumption',
    );
    expect(fillTemplate(LINE_KINDS.base_bonus.en.rule, params)).toBe(bonus.rule);
  });

  it('reads every rule from its parameters as stored, grants up to their last clause', () => {
    for (const line of lines) {
      const rendered = fillTemplate(LINE_KINDS[line.kind].en.rule, lineParams(line, january.month));
      if (line.kind === 'grants') expect(line.rule.startsWith(rendered)).toBe(true);
      else expect(rendered).toBe(line.rule);
    }
  });

  it('tells an adjustment which month and which line it corrects', () => {
    const uplift = lines.find((l) => l.kind === 'adjustment' && l.adjusts === 'deal_uplift')!;
    expect(lineParams(uplift, january.month)).toEqual({
      month: '2026-01',
      forMonth: '2025-12',
      adjusts: 'deal_uplift',
      rate: '0.05',
      percent: '5',
      base: uplift.base,
      dealId: 'D-1',
      accountId: 'c1',
    });
  });

  it('reads a stored line’s exact base and adjustment from its details', () => {
    const params = storedLineParams(
      {
        kind: 'adjustment',
        rate: '0.125',
        base: '100.12',
        dealId: null,
        accountId: null,
        details: { forMonth: '2025-12', adjusts: 'base_bonus', exactBase: '100.123456' },
      },
      '2026-01',
    );
    expect(params).toEqual({
      month: '2026-01',
      forMonth: '2025-12',
      adjusts: 'base_bonus',
      rate: '0.125',
      percent: '12.5',
      base: '100.123456',
    });
  });
});
