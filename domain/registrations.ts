/**
 * Deal and project registration by the partner (SPEC §2): the review deadline in business
 * days, the deal's term and renewal, the project's default baseline, the caps a manager's
 * approval must respect, and which status may follow which. Pure: time is passed in.
 */
import type { FieldProblem } from './errors';
import { Money, formatMoney, isMoneyString, parseMoney, roundKopecks } from './money';
import {
  addBusinessDays,
  addDays,
  moscowDateOf,
  moscowMidnight,
} from './calendar/production-calendar';
import {
  addMonths,
  firstDayOf,
  isIsoDate,
  lastDayOf,
  monthOf,
  type IsoDate,
} from './settlement/dates';
import { MAX_DEAL_UPLIFT_RATE, MAX_PROJECT_REBATE_RATE } from './settlement/terms';

export const REGISTRATION_KINDS = ['deal', 'project'] as const;
export type RegistrationKind = (typeof REGISTRATION_KINDS)[number];

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Business days a manager has to decide, unless configured otherwise. */
export const DEFAULT_REGISTRATION_SLA_BUSINESS_DAYS = 3;
/** Months an approved deal links its customer, unless configured otherwise. */
export const DEFAULT_DEAL_TERM_MONTHS = 12;
/** Full months before registration whose average is a project's default baseline. */
export const BASELINE_MONTHS = 3;

export interface RegistrationSla {
  /** The last Moscow business day of the review. */
  lastReviewDay: IsoDate;
  /** 00:00 Moscow of the last review day: one business day before the deadline. */
  reminderAt: string;
  /** 00:00 Moscow after the last review day: the review is escalated. */
  deadline: string;
}

/**
 * The review window of a registration submitted at `submittedAt`: `businessDays` business
 * days on the production calendar after the Moscow day of submission.
 */
export function registrationSla(submittedAt: string, businessDays: number): RegistrationSla {
  if (!Number.isInteger(businessDays) || businessDays < 1) {
    throw new RangeError(`The review SLA must be a whole number of business days ≥ 1`);
  }
  const lastReviewDay = addBusinessDays(moscowDateOf(submittedAt), businessDays);
  return {
    lastReviewDay,
    reminderAt: moscowMidnight(lastReviewDay).toISOString(),
    deadline: moscowMidnight(addDays(lastReviewDay, 1)).toISOString(),
  };
}

/** `date` moved by `months` calendar months, clamped to the month's last day. */
function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  const target = addMonths(monthOf(date), months);
  const day = Number(date.slice(8, 10));
  const last = Number(lastDayOf(target).slice(8, 10));
  return `${target}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/**
 * The last linked day of a deal that starts on `startDate` and runs `termMonths` months: the
 * day before the same day `termMonths` later, or the last day of that month when it has no
 * such day (from 31 January, one month runs to the end of February).
 */
export function dealEndDate(startDate: IsoDate, termMonths: number): IsoDate {
  if (!isIsoDate(startDate)) throw new RangeError(`Not a date: ${JSON.stringify(startDate)}`);
  if (!Number.isInteger(termMonths) || termMonths < 1) {
    throw new RangeError('A deal term is a whole number of months ≥ 1');
  }
  const same = addCalendarMonths(startDate, termMonths);
  if (same.slice(8) !== startDate.slice(8)) return same;
  return addDays(same, -1);
}

/** A renewal before expiry extends the link by one more term from the day after its end. */
export function renewedEndDate(currentEnd: IsoDate, termMonths: number): IsoDate {
  return dealEndDate(addDays(currentEnd, 1), termMonths);
}

/** 00:00 Moscow after a deal's last linked day: when its registration expires. */
export function expiresAt(endDate: IsoDate): string {
  return moscowMidnight(addDays(endDate, 1)).toISOString();
}

/**
 * What a customer is known by across partners: its INN when it has one (a prospective
 * customer, or a subaccount with an INN), else its account. Two partners' pending or approved
 * deals may not share it.
 */
export function claimKey(customer: { inn: string | null; accountId: string | null }): string {
  if (customer.inn) return `inn:${customer.inn}`;
  if (customer.accountId) return `account:${customer.accountId}`;
  throw new RangeError('A deal names a customer account or an INN');
}

/** The three full months before `registeredOn`: [from, to) as dates. */
export function baselineWindow(registeredOn: IsoDate): { from: IsoDate; to: IsoDate } {
  const month = monthOf(registeredOn);
  return { from: firstDayOf(addMonths(month, -BASELINE_MONTHS)), to: firstDayOf(month) };
}

/**
 * The default baseline: the total consumption of the three full months before registration
 * divided by three (months without consumption count as zero), rounded to the kopeck half-up.
 */
export function defaultBaseline(totalOverWindow: string): string {
  return formatMoney(roundKopecks(new Money(totalOverWindow).div(BASELINE_MONTHS)));
}

const RATE = /^\d{1,9}(\.\d+)?$/;

function rateProblem(value: string, max: string, what: string): string | null {
  if (!RATE.test(value)) return 'must be a decimal fraction such as "0.05"';
  if ((value.split('.')[1] ?? '').length > 4) return 'must have at most 4 decimals';
  const rate = new Money(value);
  if (!rate.gt(0)) return 'must be greater than 0';
  if (rate.gt(max)) return `must be at most ${max} (${what})`;
  return null;
}

function amountProblem(value: string): string | null {
  if (!isMoneyString(value)) return 'must be an amount in rubles such as "5000.00"';
  if (parseMoney(value).lt(0)) return 'must not be negative';
  if ((value.split('.')[1] ?? '').length > 2) return 'must have at most 2 decimals';
  return null;
}

function push(problems: FieldProblem[], field: string, message: string | null): void {
  if (message !== null) problems.push({ field, message });
}

/** A deal registration: an expected monthly consumption in rubles and a description. */
export function dealRegistrationProblems(input: {
  expectedMonthlyConsumption: string;
  description: string;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  push(problems, 'expectedMonthlyConsumption', amountProblem(input.expectedMonthlyConsumption));
  if (input.description.trim() === '') {
    problems.push({ field: 'description', message: 'must not be empty', code: 'required' });
  }
  return problems;
}

/** A manager's approval: a deal's uplift ≤ 15 p.p.; a project's rate ≤ 15%, a baseline ≥ 0. */
export function approvalProblems(
  kind: RegistrationKind,
  approval: { upliftRate?: string | null; rate?: string | null; baselineMonthly?: string | null },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (kind === 'deal') {
    if (approval.upliftRate === undefined || approval.upliftRate === null) {
      problems.push({
        field: 'upliftRate',
        message: 'is required to approve a deal',
        code: 'required',
      });
    } else {
      push(
        problems,
        'upliftRate',
        rateProblem(approval.upliftRate, MAX_DEAL_UPLIFT_RATE, '15 percentage points'),
      );
    }
    if (approval.rate != null) {
      problems.push({
        field: 'rate',
        message: 'belongs to a project; a deal takes upliftRate',
        code: 'project_only',
      });
    }
    if (approval.baselineMonthly != null) {
      problems.push({
        field: 'baselineMonthly',
        message: 'belongs to a project',
        code: 'project_only',
      });
    }
  } else {
    if (approval.rate === undefined || approval.rate === null) {
      problems.push({
        field: 'rate',
        message: 'is required to approve a project',
        code: 'required',
      });
    } else {
      push(problems, 'rate', rateProblem(approval.rate, MAX_PROJECT_REBATE_RATE, '15%'));
    }
    if (approval.baselineMonthly != null) {
      push(problems, 'baselineMonthly', amountProblem(approval.baselineMonthly));
    }
    if (approval.upliftRate != null) {
      problems.push({
        field: 'upliftRate',
        message: 'belongs to a deal; a project takes rate',
        code: 'deal_only',
      });
    }
  }
  return problems;
}

/** Whether a registration in `status` may move to `to` (decisions, expiry). */
export function canMove(from: RegistrationStatus, to: RegistrationStatus): boolean {
  if (from === 'pending') return to === 'approved' || to === 'rejected';
  if (from === 'approved') return to === 'expired';
  return false;
}
