/**
 * The VAR month-end settlement (SPEC §2): from per-day consumption aggregates to the invoice
 * lines, totals and rebate accruals of one partner-month.
 *
 * The millions of line items are summed in SQL; this receives what one GROUP BY (billing
 * account, day) produces and applies the rules exactly in decimal.js. Rounding (SPEC §2):
 * each line is computed exactly and rounded to 0.01 half-up on its own; every total is the
 * sum of the rounded lines, so the documents always add up.
 *
 * Why the payable can never go below zero, without a floor that would break "total = sum of
 * the lines": let A, G, E be a month's customer consumption, grants and eligible base, with
 * E ≤ A − G (checked per row). The rounded net round(A) − round(G) is > A − G − 0.01 ≥ E − 0.01,
 * and ≥ 0 because rounding is monotone. A discount line rounds to non-zero only when its exact
 * value is ≥ 0.005, and then to at most twice that value, so the discount lines sum to at most
 * 2 × (base rate + 15%) × E ≤ E, given MAX_BASE_BONUS_RATE. Both sides are whole kopecks and
 * the discount is < net + 0.01, hence ≤ net. The rebate withdrawal is capped at what remains,
 * and the own account's lines are ≥ 0 by monotonicity, so every part of the invoice is ≥ 0.
 */
import { DomainError, fieldError } from '../errors';
import { BONUS_EXCLUDED_SERVICES } from './billing';
import { Money, sumMoney } from '../money';
import {
  aggregate,
  exact,
  rateText,
  isId,
  kopecks,
  kopecksAmount,
  percent,
  Problems,
  rate as parseRate,
  ZERO,
} from './amounts';
import {
  isIsoDate,
  isQuarterEnd,
  isYearMonth,
  monthOf,
  type IsoDate,
  type YearMonth,
} from './dates';
import { isLinkedOn, linkedDaysInMonth, winningDeal, type Deal, type ParsedDeal } from './deals';
import {
  accrueProjectGrowth,
  accrueSpecialization,
  capWithdrawal,
  checkProject,
  checkSpecialization,
  type ProjectGrowth,
  type RebateAccrual,
  type SpecializationQuarter,
  type WithdrawalCap,
} from './rebates';
import {
  checkSchedule,
  MAX_BASE_BONUS_RATE,
  MAX_DEAL_UPLIFT_RATE,
  monthlyRate,
  type VarTerms,
} from './terms';

/**
 * One billing account's consumption on one day: `GROUP BY account_id, usage_date`.
 * Amounts are decimal strings with up to 6 decimals (line items are priced in fractions of a
 * kopeck), never negative; 0 ≤ grants ≤ amount and 0 ≤ eligible ≤ amount − grants.
 */
export interface ConsumptionDay {
  readonly accountId: string;
  readonly date: IsoDate;
  /** All consumption, VAT included. */
  readonly amount: string;
  /** The part of `amount` paid by grants. */
  readonly grants: string;
  /**
   * Σ (amount − grants) over the services not in BONUS_EXCLUDED_SERVICES. Ignored for the
   * partner's own account, which never earns a bonus.
   */
  readonly eligible: string;
}

/** A withdrawal of the rebate balance to Bonus requested for this month. */
export interface WithdrawalToBonus {
  readonly requested: string;
  /** The rebate balance as the caller read (and locked) it; the request is capped to it. */
  readonly balance: string;
}

export interface VarMonthInput {
  /** The month being closed, 'YYYY-MM'. */
  readonly month: YearMonth;
  readonly ownAccountId: string;
  readonly terms: VarTerms;
  /**
   * This month's consumption per (account, day); every date in `month`. Every account other
   * than `ownAccountId` is one of the partner's customer subaccounts.
   */
  readonly days: readonly ConsumptionDay[];
  /**
   * Late consumption: the same aggregate over line items that arrived after their month was
   * closed, each dated in that earlier month. It is settled here as adjustment lines.
   */
  readonly adjustments: readonly ConsumptionDay[];
  /** Every deal whose link covers any day in `days` or `adjustments` (others are harmless). */
  readonly deals: readonly Deal[];
  readonly projects: readonly ProjectGrowth[];
  /** Only in a quarter-end month; must be empty otherwise. */
  readonly specializations: readonly SpecializationQuarter[];
  readonly rebateWithdrawalToBonus: WithdrawalToBonus | null;
}

export type InvoiceLineKind =
  | 'consumption_customers'
  | 'consumption_own'
  | 'grants'
  | 'base_bonus'
  | 'deal_uplift'
  | 'rebate_withdrawal'
  | 'adjustment';

/** What an adjustment line corrects, in the terms of the current month's lines. */
export type AdjustedKind = Exclude<InvoiceLineKind, 'rebate_withdrawal' | 'adjustment'>;

export interface InvoiceLine {
  readonly kind: InvoiceLineKind;
  readonly description: string;
  /** The rule in words, e.g. "10% base bonus on eligible consumption". */
  readonly rule: string;
  /** The rate applied, as a fraction ("0.1"). */
  readonly rate?: string;
  /** The exact base the rate applied to, so that amount = round(rate × base) can be checked. */
  readonly base?: string;
  /** Kopecks, half-up, signed: what is charged is positive, discounts are negative. */
  readonly amount: string;
  readonly dealId?: string;
  readonly accountId?: string;
  /** For adjustment lines: the closed month the late consumption belongs to. */
  readonly forMonth?: YearMonth;
  /** For adjustment lines: which kind of line this one corrects. */
  readonly adjusts?: AdjustedKind;
}

/** The payable split by VAT rate: late consumption keeps the VAT rate of its own month. */
export interface VatPart {
  readonly rate: string;
  readonly months: readonly YearMonth[];
  /** The part of the payable taxed at this rate (sum of its lines). */
  readonly payable: string;
  /** VAT contained in it: payable × rate / (1 + rate), rounded to kopecks half-up. */
  readonly vat: string;
}

export interface VarTotals {
  /** All consumption on the invoice (customers and own, including late consumption). */
  readonly consumptionTotal: string;
  readonly grantsTotal: string;
  /** The customers' eligible consumption (including late consumption), in kopecks. */
  readonly eligibleBase: string;
  /** Base bonus + deal uplift, as a positive amount. */
  readonly discountTotal: string;
  /** Rebate withdrawn to Bonus, as a positive amount. */
  readonly rebateWithdrawn: string;
  /** consumption − grants − discount − withdrawal = the sum of all lines; never below zero. */
  readonly payable: string;
  /** VAT contained in the payable (sum of the VAT parts). */
  readonly vatIncluded: string;
  /** discountTotal ÷ eligibleBase with 4 decimals half-up; null when the base is zero. */
  readonly relativeDiscount: string | null;
}

export interface VarSettlement {
  readonly month: YearMonth;
  /** The rates in force for the month (on its first day). */
  readonly baseBonusRate: string;
  readonly vatRate: string;
  readonly lines: readonly InvoiceLine[];
  readonly totals: VarTotals;
  readonly vat: readonly VatPart[];
  /** How the withdrawal to Bonus was applied; debit exactly `applied` from the balance. */
  readonly withdrawal: WithdrawalCap | null;
  /** Credits to the rebate balance; not part of the invoice. */
  readonly rebateAccruals: readonly RebateAccrual[];
}

interface ParsedDay {
  readonly accountId: string;
  readonly date: IsoDate;
  readonly amount: Money;
  readonly grants: Money;
  readonly eligible: Money;
}

/** The running sums of one month on the invoice: the current one or a late one. */
interface MonthSums {
  readonly month: YearMonth;
  readonly late: boolean;
  readonly baseRate: Money;
  readonly vatRate: Money;
  readonly customers: Set<string>;
  ownDays: number;
  custAmount: Money;
  custGrants: Money;
  custEligible: Money;
  ownAmount: Money;
  ownGrants: Money;
  /** Per deal: the eligible consumption on days it won, the days it won, the days it lost. */
  readonly deals: Map<string, { base: Money; won: number; lost: number }>;
}

type Role = 'consumption' | 'grants' | 'discount' | 'withdrawal';

interface Built {
  readonly line: InvoiceLine;
  readonly role: Role;
  readonly value: Money;
  readonly customers: boolean;
  readonly vatMonth: YearMonth;
}

const ELIGIBLE_WORDS =
  "customer subaccounts only; not the partner's own account, not " +
  `${BONUS_EXCLUDED_SERVICES.map((s) => s.name).join(', ')}, not the part paid by grants`;

const LATE_RULE =
  'Consumption that arrives after its month was closed is settled in the next invoice at the ' +
  'terms of its own month (bonus rate, deal links, VAT); issued documents are never rewritten';

function checkDay(
  day: ConsumptionDay,
  field: string,
  problems: Problems,
  seen: Set<string>,
  dateOk: (date: IsoDate) => string | null,
): ParsedDay | undefined {
  const before = problems.list.length;
  if (!isId(day.accountId)) problems.add(`${field}.accountId`, 'must be a non-empty id');
  if (!isIsoDate(day.date)) {
    problems.add(`${field}.date`, 'must be a date YYYY-MM-DD');
  } else {
    const wrong = dateOk(day.date);
    if (wrong) problems.add(`${field}.date`, wrong);
  }
  const amount = aggregate(day.amount, `${field}.amount`, problems);
  const grants = aggregate(day.grants, `${field}.grants`, problems);
  const eligible = aggregate(day.eligible, `${field}.eligible`, problems);
  if (amount && grants && grants.gt(amount)) {
    problems.add(`${field}.grants`, `exceeds the amount ${day.amount}`);
  } else if (amount && grants && eligible && eligible.gt(amount.minus(grants))) {
    problems.add(`${field}.eligible`, 'exceeds amount − grants');
  }
  // The SQL key is (account, day): a repeat means the query grouped by something more.
  const key = `${day.accountId}\u0000${day.date}`;
  if (seen.has(key)) problems.add(field, `repeats account ${day.accountId} on ${day.date}`);
  seen.add(key);
  if (problems.list.length > before || !amount || !grants || !eligible) return undefined;
  return { accountId: day.accountId, date: day.date, amount, grants, eligible };
}

function checkDeal(
  deal: Deal,
  field: string,
  ownAccountId: string,
  problems: Problems,
  seen: Set<string>,
): ParsedDeal | undefined {
  const before = problems.list.length;
  if (!isId(deal.dealId)) problems.add(`${field}.dealId`, 'must be a non-empty id');
  else if (seen.has(deal.dealId)) problems.add(`${field}.dealId`, `repeats deal ${deal.dealId}`);
  seen.add(deal.dealId);
  if (!isId(deal.customerAccountId)) {
    problems.add(`${field}.customerAccountId`, 'must be a non-empty id');
  } else if (deal.customerAccountId === ownAccountId) {
    problems.add(
      `${field}.customerAccountId`,
      "is the partner's own account; a deal links a customer subaccount",
    );
  }
  const rate = parseRate(deal.upliftRate, `${field}.upliftRate`, problems, {
    min: '0',
    max: MAX_DEAL_UPLIFT_RATE,
    minInclusive: false,
  });
  if (!isIsoDate(deal.from)) problems.add(`${field}.from`, 'must be a date YYYY-MM-DD');
  if (deal.to !== null && !isIsoDate(deal.to)) {
    problems.add(`${field}.to`, 'must be a date YYYY-MM-DD or null');
  } else if (deal.to !== null && isIsoDate(deal.from) && deal.to < deal.from) {
    problems.add(`${field}.to`, `is before from (${deal.from})`);
  }
  if (problems.list.length > before || !rate) return undefined;
  return { ...deal, rate };
}

function dayCount(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/**
 * Settles one VAR partner-month: invoice lines (each explaining itself), totals, the VAT
 * contained, and the rebate accruals.
 *
 * @throws DomainError `validation_failed` listing every bad field of the input.
 * @throws NoRateInForceError when the terms do not cover a month being settled.
 */
export function settleVarMonth(input: VarMonthInput): VarSettlement {
  const { month, ownAccountId } = input;
  if (!isYearMonth(month))
    throw fieldError('month', 'must be a month YYYY-MM', 'invalid_format', {
      format: 'year_month',
    });

  const problems = new Problems();
  if (!isId(ownAccountId)) problems.add('ownAccountId', 'must be a non-empty id');
  checkSchedule(input.terms?.baseBonusRates, 'terms.baseBonusRates', MAX_BASE_BONUS_RATE, problems);
  checkSchedule(input.terms?.vatRates, 'terms.vatRates', '1', problems);

  const seenDays = new Set<string>();
  const current = input.days.map((day, i) =>
    checkDay(day, `days[${i}]`, problems, seenDays, (date) =>
      monthOf(date) === month ? null : `is not in ${month}; late consumption goes to adjustments`,
    ),
  );
  const seenLate = new Set<string>();
  const late = input.adjustments.map((day, i) =>
    checkDay(day, `adjustments[${i}]`, problems, seenLate, (date) =>
      monthOf(date) < month ? null : `must be in a month before ${month}`,
    ),
  );
  const seenDeals = new Set<string>();
  const deals = input.deals.map((deal, i) =>
    checkDeal(deal, `deals[${i}]`, ownAccountId, problems, seenDeals),
  );
  const seenProjects = new Set<string>();
  const projects = input.projects.map((project, i) => {
    if (seenProjects.has(project.projectId)) {
      problems.add(`projects[${i}].projectId`, `repeats project ${project.projectId}`);
    }
    seenProjects.add(project.projectId);
    return checkProject(project, `projects[${i}]`, problems);
  });
  if (input.specializations.length > 0 && !isQuarterEnd(month)) {
    problems.add(
      'specializations',
      `must be empty: ${month} does not end a quarter, and specialization rebates accrue in the quarter-end month`,
    );
  }
  const seenSpecs = new Set<string>();
  const specializations = input.specializations.map((entry, i) => {
    if (seenSpecs.has(entry.specialization)) {
      problems.add(`specializations[${i}].specialization`, `repeats ${entry.specialization}`);
    }
    seenSpecs.add(entry.specialization);
    return checkSpecialization(entry, `specializations[${i}]`, problems);
  });
  const withdrawal = input.rebateWithdrawalToBonus;
  const requested =
    withdrawal &&
    kopecksAmount(withdrawal.requested, 'rebateWithdrawalToBonus.requested', problems);
  const balance =
    withdrawal && kopecksAmount(withdrawal.balance, 'rebateWithdrawalToBonus.balance', problems);
  problems.throwIfAny(`Cannot settle ${month}`);

  // Validation passed, so every parsed entry is present.
  const validDeals = deals as ParsedDeal[];
  const dealsByCustomer = new Map<string, ParsedDeal[]>();
  for (const deal of validDeals) {
    const list = dealsByCustomer.get(deal.customerAccountId) ?? [];
    list.push(deal);
    dealsByCustomer.set(deal.customerAccountId, list);
  }

  const sums = new Map<YearMonth, MonthSums>();
  const sumsFor = (forMonth: YearMonth): MonthSums => {
    let entry = sums.get(forMonth);
    if (!entry) {
      entry = {
        month: forMonth,
        late: forMonth !== month,
        baseRate: new Money(monthlyRate(input.terms.baseBonusRates, forMonth, 'base bonus')),
        vatRate: new Money(monthlyRate(input.terms.vatRates, forMonth, 'VAT')),
        customers: new Set(),
        ownDays: 0,
        custAmount: ZERO,
        custGrants: ZERO,
        custEligible: ZERO,
        ownAmount: ZERO,
        ownGrants: ZERO,
        deals: new Map(),
      };
      sums.set(forMonth, entry);
    }
    return entry;
  };
  // The current month's rates are looked up even for an empty month: its invoice still shows them.
  const currentSums = sumsFor(month);

  for (const day of [...current, ...late] as ParsedDay[]) {
    const s = sumsFor(monthOf(day.date));
    if (day.accountId === ownAccountId) {
      s.ownDays += 1;
      s.ownAmount = s.ownAmount.plus(day.amount);
      s.ownGrants = s.ownGrants.plus(day.grants);
      continue;
    }
    s.customers.add(day.accountId);
    s.custAmount = s.custAmount.plus(day.amount);
    s.custGrants = s.custGrants.plus(day.grants);
    s.custEligible = s.custEligible.plus(day.eligible);
    const linked = dealsByCustomer.get(day.accountId) ?? [];
    const winner = winningDeal(linked, day.date);
    for (const deal of linked) {
      if (!isLinkedOn(deal, day.date)) continue;
      const tally = s.deals.get(deal.dealId) ?? { base: ZERO, won: 0, lost: 0 };
      if (deal === winner) {
        tally.base = tally.base.plus(day.eligible);
        tally.won += 1;
      } else {
        tally.lost += 1;
      }
      s.deals.set(deal.dealId, tally);
    }
  }

  const built: Built[] = [];
  const push = (
    line: InvoiceLine,
    role: Role,
    value: Money,
    customers: boolean,
    vatMonth: YearMonth,
  ): void => {
    built.push({ line: { ...line, amount: kopecks(value) }, role, value, customers, vatMonth });
  };
  const rounded = (value: Money): Money => new Money(kopecks(value));

  // The current month: always its two consumption lines and the base bonus, so the invoice
  // shows the full picture even when a part is zero; grants only when there are any.
  {
    const s = currentSums;
    const n = s.customers.size;
    push(
      {
        kind: 'consumption_customers',
        description: `Consumption of ${n} customer subaccount${n === 1 ? '' : 's'} in ${month}, VAT included`,
        rule: 'All consumption of the customer subaccounts is invoiced to the partner',
        amount: '',
      },
      'consumption',
      rounded(s.custAmount),
      true,
      month,
    );
    push(
      {
        kind: 'consumption_own',
        description: `Consumption of the partner's own account in ${month}, VAT included`,
        rule: "The partner's own consumption is invoiced in full and earns no bonus",
        accountId: ownAccountId,
        amount: '',
      },
      'consumption',
      rounded(s.ownAmount),
      false,
      month,
    );
    if (!s.custGrants.isZero()) {
      push(
        {
          kind: 'grants',
          description: `Paid by grants on customer subaccounts in ${month}`,
          rule: 'The part of consumption paid by grants is not invoiced and earns no bonus',
          amount: '',
        },
        'grants',
        rounded(s.custGrants).negated(),
        true,
        month,
      );
    }
    if (!s.ownGrants.isZero()) {
      push(
        {
          kind: 'grants',
          description: `Paid by grants on the partner's own account in ${month}`,
          rule: 'The part of consumption paid by grants is not invoiced',
          accountId: ownAccountId,
          amount: '',
        },
        'grants',
        rounded(s.ownGrants).negated(),
        false,
        month,
      );
    }
    push(
      {
        kind: 'base_bonus',
        description: `Base partner bonus for ${month}: ${percent(s.baseRate)} of eligible consumption ${exact(s.custEligible)} (${ELIGIBLE_WORDS})`,
        rule: `${percent(s.baseRate)} base bonus on eligible consumption`,
        rate: rateText(s.baseRate),
        base: exact(s.custEligible),
        amount: '',
      },
      'discount',
      rounded(s.custEligible.times(s.baseRate)).negated(),
      true,
      month,
    );
    // One line per deal whose link covers part of the month, even with nothing to uplift:
    // the partner sees the deal was taken into account.
    const inMonth = validDeals
      .map((deal) => ({ deal, span: linkedDaysInMonth(deal, month) }))
      .filter((x) => x.span !== null)
      .sort((a, b) => (a.deal.dealId < b.deal.dealId ? -1 : 1));
    for (const { deal, span } of inMonth) {
      const tally = s.deals.get(deal.dealId) ?? { base: ZERO, won: 0, lost: 0 };
      const lost =
        tally.lost > 0
          ? `; on ${dayCount(tally.lost)} a higher-rate deal for the same customer applied instead`
          : '';
      push(
        {
          kind: 'deal_uplift',
          description:
            `Deal ${deal.dealId}: +${percent(deal.rate)} on customer ${deal.customerAccountId}'s eligible ` +
            `consumption while linked, ${span!.first} … ${span!.last} (${dayCount(span!.days)} of ${month}): ` +
            `${exact(tally.base)} over ${dayCount(tally.won)} with consumption${lost}`,
          rule:
            `${percent(deal.rate)} deal uplift on the linked customer's eligible consumption, on the days ` +
            'the link is active; when several deals link the customer on a day, only the highest rate applies',
          rate: rateText(deal.rate),
          base: exact(tally.base),
          dealId: deal.dealId,
          accountId: deal.customerAccountId,
          amount: '',
        },
        'discount',
        rounded(tally.base.times(deal.rate)).negated(),
        true,
        month,
      );
    }
  }

  // Late months, oldest first: the same rules at that month's terms, as adjustment lines.
  const lateMonths = [...sums.values()]
    .filter((s) => s.late)
    .sort((a, b) => (a.month < b.month ? -1 : 1));
  for (const s of lateMonths) {
    const adj = (
      adjusts: AdjustedKind,
      description: string,
      extra: Partial<InvoiceLine>,
      role: Role,
      value: Money,
      customers: boolean,
    ): void =>
      push(
        {
          kind: 'adjustment',
          adjusts,
          forMonth: s.month,
          description,
          rule: LATE_RULE,
          ...extra,
          amount: '',
        },
        role,
        value,
        customers,
        s.month,
      );
    if (s.customers.size > 0) {
      adj(
        'consumption_customers',
        `Late consumption of customer subaccounts for ${s.month}, VAT included`,
        {},
        'consumption',
        rounded(s.custAmount),
        true,
      );
    }
    if (s.ownDays > 0) {
      adj(
        'consumption_own',
        `Late consumption of the partner's own account for ${s.month}, VAT included`,
        { accountId: ownAccountId },
        'consumption',
        rounded(s.ownAmount),
        false,
      );
    }
    if (!s.custGrants.isZero()) {
      adj(
        'grants',
        `Paid by grants on late customer consumption for ${s.month}`,
        {},
        'grants',
        rounded(s.custGrants).negated(),
        true,
      );
    }
    if (!s.ownGrants.isZero()) {
      adj(
        'grants',
        `Paid by grants on the own account's late consumption for ${s.month}`,
        { accountId: ownAccountId },
        'grants',
        rounded(s.ownGrants).negated(),
        false,
      );
    }
    if (s.customers.size > 0) {
      adj(
        'base_bonus',
        `Base partner bonus on late eligible consumption for ${s.month}: ${percent(s.baseRate)} of ${exact(s.custEligible)}`,
        { rate: rateText(s.baseRate), base: exact(s.custEligible) },
        'discount',
        rounded(s.custEligible.times(s.baseRate)).negated(),
        true,
      );
    }
    const won = validDeals
      .filter((deal) => (s.deals.get(deal.dealId)?.won ?? 0) > 0)
      .sort((a, b) => (a.dealId < b.dealId ? -1 : 1));
    for (const deal of won) {
      const tally = s.deals.get(deal.dealId)!;
      adj(
        'deal_uplift',
        `Deal ${deal.dealId} uplift on late consumption for ${s.month}: +${percent(deal.rate)} on ` +
          `customer ${deal.customerAccountId}'s eligible consumption ${exact(tally.base)} on ${dayCount(tally.won)}`,
        {
          rate: rateText(deal.rate),
          base: exact(tally.base),
          dealId: deal.dealId,
          accountId: deal.customerAccountId,
        },
        'discount',
        rounded(tally.base.times(deal.rate)).negated(),
        true,
      );
    }
  }

  // The withdrawal reduces only what the customers' consumption of THIS month leaves payable
  // (SPEC: "for the consumption of your customer subaccounts in the current month").
  let applied: WithdrawalCap | null = null;
  if (requested && balance && !requested.isZero()) {
    const customersPayable = sumMoney(
      built.filter((b) => b.customers && b.vatMonth === month).map((b) => b.value),
    );
    applied = capWithdrawal(requested, balance, customersPayable);
    push(
      {
        kind: 'rebate_withdrawal',
        description: applied.explanation,
        rule:
          "A rebate withdrawn to Bonus reduces the payable for the customer subaccounts' consumption " +
          'in the current month, at most that amount and never more than the rebate balance',
        amount: '',
      },
      'withdrawal',
      new Money(applied.applied).negated(),
      true,
      month,
    );
  }

  const total = (role: Role): Money =>
    sumMoney(built.filter((b) => b.role === role).map((b) => b.value));
  const payable = sumMoney(built.map((b) => b.value));
  if (payable.isNegative()) {
    // Impossible by the argument at the top of this file; refuse rather than issue it.
    throw new DomainError(
      'invalid_state',
      `Settlement of ${month} came to a negative payable ${kopecks(payable)}`,
      [],
      { reason: 'negative_payable', params: { month, payable: kopecks(payable) } },
    );
  }

  const vatParts = new Map<string, { rate: Money; months: Set<YearMonth>; payable: Money }>();
  for (const b of built) {
    const rate = sums.get(b.vatMonth)!.vatRate;
    const key = rate.toFixed();
    const part = vatParts.get(key) ?? { rate, months: new Set<YearMonth>(), payable: ZERO };
    part.months.add(b.vatMonth);
    part.payable = part.payable.plus(b.value);
    vatParts.set(key, part);
  }
  const vat: VatPart[] = [...vatParts.values()]
    .map((part) => ({
      rate: rateText(part.rate),
      months: [...part.months].sort(),
      payable: kopecks(part.payable),
      vat: kopecks(part.payable.times(part.rate).dividedBy(part.rate.plus(1))),
    }))
    .sort((a, b) => (a.months[0]! < b.months[0]! ? -1 : 1));

  const eligibleBase = new Money(kopecks(sumMoney([...sums.values()].map((s) => s.custEligible))));
  const discount = total('discount').negated();

  return {
    month,
    baseBonusRate: rateText(currentSums.baseRate),
    vatRate: rateText(currentSums.vatRate),
    lines: built.map((b) => b.line),
    totals: {
      consumptionTotal: kopecks(total('consumption')),
      grantsTotal: kopecks(total('grants').negated()),
      eligibleBase: kopecks(eligibleBase),
      discountTotal: kopecks(discount),
      rebateWithdrawn: kopecks(total('withdrawal').negated()),
      payable: kopecks(payable),
      vatIncluded: kopecks(sumMoney(vat.map((part) => part.vat))),
      relativeDiscount: eligibleBase.isZero()
        ? null
        : discount.dividedBy(eligibleBase).toFixed(4, Money.ROUND_HALF_UP),
    },
    vat,
    withdrawal: applied,
    rebateAccruals: [
      ...(projects as NonNullable<(typeof projects)[number]>[]).map((p) =>
        accrueProjectGrowth(p, month),
      ),
      ...(specializations as NonNullable<(typeof specializations)[number]>[]).map((e) =>
        accrueSpecialization(e, month),
      ),
    ],
  };
}
