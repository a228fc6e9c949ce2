/**
 * Rebates (SPEC §2): project growth and specialization rebates are credited to the partner's
 * rebate accrual balance — never deducted from the invoice — and the balance can be withdrawn
 * to Bonus, which reduces the invoice.
 */
import { Money } from '../money';
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
  addMonths,
  isIsoDate,
  isQuarterEnd,
  monthOf,
  monthsBetween,
  quarterOf,
  type IsoDate,
  type YearMonth,
} from './dates';
import { MAX_PROJECT_REBATE_RATE } from './terms';

/** A registered cloud or folder and its consumption this month (one SQL GROUP BY project). */
export interface ProjectGrowth {
  readonly projectId: string;
  readonly registeredOn: IsoDate;
  /** The baseline monthly consumption agreed at registration. */
  readonly baselineMonthly: string;
  /** A fraction, 0 < r ≤ 0.15. */
  readonly rate: string;
  /** This month's consumption in the registered cloud or folder (same measure as the baseline). */
  readonly consumptionThisMonth: string;
}

/** A specialization the partner holds, with its customers' eligible consumption of its services. */
export interface SpecializationQuarter {
  readonly specialization: string;
  /** A fraction, 0 < r ≤ 1. */
  readonly rate: string;
  /** Customers' eligible consumption of the specialization's services in the whole quarter. */
  readonly eligibleConsumptionInQuarter: string;
}

/** One credit to the rebate accrual balance, explained. */
export interface RebateAccrual {
  readonly kind: 'project_growth' | 'specialization';
  readonly description: string;
  readonly rule: string;
  readonly rate: string;
  /** The exact base the rate applies to (growth or quarterly consumption). */
  readonly base: string;
  /** Rounded to kopecks, half-up; "0.00" when nothing accrues (the description says why). */
  readonly amount: string;
  /** The month ('YYYY-MM') or quarter ('YYYY-Qn') the accrual is for. */
  readonly period: string;
  readonly projectId?: string;
  readonly specialization?: string;
  /** A project's 12 rebate months, inclusive. */
  readonly window?: { readonly firstMonth: YearMonth; readonly lastMonth: YearMonth };
}

/** Rebate months per registered project (SPEC §2). */
export const PROJECT_REBATE_MONTHS = 12;

/**
 * The 12 months in which a project earns its growth rebate: the 12 whole calendar months
 * AFTER the registration month (M+1 … M+12). The registration month itself does not count:
 * it is partial (the project exists only from `registeredOn`), and the baseline is a full
 * month's figure, so comparing the two would be meaningless — while counting it would leave
 * the partner only 11 comparable months of the "12 months after registration".
 */
export function projectRebateWindow(registeredOn: IsoDate): {
  firstMonth: YearMonth;
  lastMonth: YearMonth;
} {
  const registered = monthOf(registeredOn);
  return {
    firstMonth: addMonths(registered, 1),
    lastMonth: addMonths(registered, PROJECT_REBATE_MONTHS),
  };
}

/** Whether the month is one of the project's 12 rebate months. */
export function isProjectRebateMonth(registeredOn: IsoDate, month: YearMonth): boolean {
  const { firstMonth, lastMonth } = projectRebateWindow(registeredOn);
  return firstMonth <= month && month <= lastMonth;
}

interface ParsedProject {
  readonly source: ProjectGrowth;
  readonly rate: Money;
  readonly baseline: Money;
  readonly consumption: Money;
}

export function checkProject(
  project: ProjectGrowth,
  field: string,
  problems: Problems,
): ParsedProject | undefined {
  const before = problems.list.length;
  if (!isId(project.projectId)) problems.add(`${field}.projectId`, 'must be a non-empty id');
  if (!isIsoDate(project.registeredOn)) {
    problems.add(`${field}.registeredOn`, 'must be a date YYYY-MM-DD');
  }
  const rate = parseRate(project.rate, `${field}.rate`, problems, {
    min: '0',
    max: MAX_PROJECT_REBATE_RATE,
    minInclusive: false,
  });
  const baseline = aggregate(project.baselineMonthly, `${field}.baselineMonthly`, problems);
  const consumption = aggregate(
    project.consumptionThisMonth,
    `${field}.consumptionThisMonth`,
    problems,
  );
  if (problems.list.length > before || !rate || !baseline || !consumption) return undefined;
  return { source: project, rate, baseline, consumption };
}

const PROJECT_RULE = (rate: Money): string =>
  `${percent(rate)} of the growth over the baseline (max(0, consumption − baseline)), ` +
  `in the ${PROJECT_REBATE_MONTHS} months after the registration month; credited to the rebate balance`;

export function accrueProjectGrowth(project: ParsedProject, month: YearMonth): RebateAccrual {
  const { projectId, registeredOn } = project.source;
  const window = projectRebateWindow(registeredOn);
  const common = {
    kind: 'project_growth' as const,
    rule: PROJECT_RULE(project.rate),
    rate: rateText(project.rate),
    period: month,
    projectId,
    window,
  };
  const span = `${window.firstMonth} … ${window.lastMonth}`;
  if (month < window.firstMonth || month > window.lastMonth) {
    const why =
      month < window.firstMonth
        ? `its rebate months start in ${window.firstMonth} (registered ${registeredOn})`
        : `its rebate months ${span} have ended`;
    return {
      ...common,
      base: '0.00',
      amount: '0.00',
      description: `Project ${projectId}: nothing accrues for ${month}, ${why}`,
    };
  }
  const growth = Money.max(ZERO, project.consumption.minus(project.baseline));
  const n = monthsBetween(window.firstMonth, month) + 1;
  const figures =
    `consumption ${exact(project.consumption)} − baseline ${exact(project.baseline)}` +
    (growth.isZero() ? ': no growth' : ` = growth ${exact(growth)}`);
  return {
    ...common,
    base: exact(growth),
    amount: kopecks(growth.times(project.rate)),
    description:
      `Project ${projectId}, rebate month ${n} of ${PROJECT_REBATE_MONTHS} (${span}): ` +
      `${percent(project.rate)} × (${figures})`,
  };
}

/** The growth rebate of one project for a month; validates the project first. */
export function projectGrowthAccrual(project: ProjectGrowth, month: YearMonth): RebateAccrual {
  const problems = new Problems();
  const parsed = checkProject(project, 'project', problems);
  problems.throwIfAny('Invalid project');
  return accrueProjectGrowth(parsed!, month);
}

interface ParsedSpecialization {
  readonly source: SpecializationQuarter;
  readonly rate: Money;
  readonly base: Money;
}

export function checkSpecialization(
  entry: SpecializationQuarter,
  field: string,
  problems: Problems,
): ParsedSpecialization | undefined {
  const before = problems.list.length;
  if (!isId(entry.specialization)) {
    problems.add(`${field}.specialization`, 'must be a non-empty name');
  }
  const rate = parseRate(entry.rate, `${field}.rate`, problems, {
    min: '0',
    max: '1',
    minInclusive: false,
  });
  const base = aggregate(
    entry.eligibleConsumptionInQuarter,
    `${field}.eligibleConsumptionInQuarter`,
    problems,
  );
  if (problems.list.length > before || !rate || !base) return undefined;
  return { source: entry, rate, base };
}

export function accrueSpecialization(entry: ParsedSpecialization, month: YearMonth): RebateAccrual {
  const quarter = quarterOf(month);
  const name = entry.source.specialization;
  return {
    kind: 'specialization',
    rule:
      `${percent(entry.rate)} of customers' eligible consumption of the specialization's ` +
      'services in the quarter; credited to the rebate balance in the quarter-end month',
    rate: rateText(entry.rate),
    base: exact(entry.base),
    amount: kopecks(entry.base.times(entry.rate)),
    period: quarter,
    specialization: name,
    description: `Specialization "${name}", ${quarter}: ${percent(entry.rate)} × eligible consumption ${exact(entry.base)}`,
  };
}

/**
 * The quarterly specialization rebate, credited in the quarter-end month (March, June,
 * September, December). Quarterly figures for any other month are a caller error.
 */
export function specializationAccrual(
  entry: SpecializationQuarter,
  month: YearMonth,
): RebateAccrual {
  const problems = new Problems();
  const parsed = checkSpecialization(entry, 'specialization', problems);
  if (!isQuarterEnd(month)) {
    problems.add(
      'month',
      `${month} does not end a quarter; specialization rebates accrue in March, June, September and December`,
    );
  }
  problems.throwIfAny('Invalid specialization rebate');
  return accrueSpecialization(parsed!, month);
}

/** How a withdrawal to Bonus was limited, for the invoice line and the rebate ledger. */
export interface WithdrawalCap {
  readonly requested: string;
  /** What reduces the invoice — and the only amount to debit from the rebate balance. */
  readonly applied: string;
  readonly cappedBy: 'none' | 'balance' | 'customers_payable';
  readonly explanation: string;
}

/** The cap on money already parsed; the settlement uses it directly. */
export function capWithdrawal(
  requested: Money,
  balance: Money | undefined,
  customersPayable: Money | undefined,
): WithdrawalCap {
  const payable = customersPayable && Money.max(ZERO, customersPayable);
  let applied = requested;
  let cappedBy: WithdrawalCap['cappedBy'] = 'none';
  // The balance is checked first: when both limits bind equally, "not enough on the balance"
  // is the more useful thing to tell the partner.
  if (balance && balance.lt(applied)) {
    applied = balance;
    cappedBy = 'balance';
  }
  if (payable && payable.lt(applied)) {
    applied = payable;
    cappedBy = 'customers_payable';
  }
  const r = kopecks(requested);
  const a = kopecks(applied);
  const rest = kopecks(requested.minus(applied));
  const explanation =
    cappedBy === 'none'
      ? `Rebate withdrawal to Bonus: ${r} applied in full`
      : cappedBy === 'balance'
        ? `Rebate withdrawal to Bonus: requested ${r}, but the rebate balance is ${kopecks(balance!)}: ${a} applied`
        : `Rebate withdrawal to Bonus: requested ${r}, capped at ${a}, the amount payable for the ` +
          `customer subaccounts' consumption this month; the other ${rest} of the request is not withdrawn`;
  return { requested: r, applied: a, cappedBy, explanation };
}

/**
 * Caps a withdrawal to Bonus: never more than the rebate balance (the caller reads and locks
 * the balance; this only does the arithmetic) and never more than what the customer
 * subaccounts' consumption leaves payable this month. Either limit may be left out.
 */
export function capWithdrawalToBonus(
  requested: string,
  limits: { balance?: string; customersPayable?: string },
): WithdrawalCap {
  const problems = new Problems();
  const req = kopecksAmount(requested, 'requested', problems);
  const balance =
    limits.balance === undefined ? undefined : kopecksAmount(limits.balance, 'balance', problems);
  const payable =
    limits.customersPayable === undefined
      ? undefined
      : kopecksAmount(limits.customersPayable, 'customersPayable', problems);
  problems.throwIfAny('Invalid withdrawal to Bonus');
  return capWithdrawal(req!, balance, payable);
}
