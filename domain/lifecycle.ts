/**
 * Leaving and revocation (SPEC §4) and the referral commission (SPEC §3).
 *
 * Pure rules: the current time is always passed in, calendar dates are Moscow dates
 * ('YYYY-MM-DD'), money is exact decimal (see ./money) and never a JS number.
 */
import {
  addDays,
  moscowDateOf,
  moscowMidnight,
  type IsoDate,
} from './calendar/production-calendar';
import { DomainError, type FieldProblem } from './errors';
import { Money, formatMoney, roundKopecks, sumMoney } from './money';
import { isIsoDate, isYearMonth } from './settlement/dates';

// ---------------------------------------------------------------------------------------
// Exit notice (SPEC §4)
// ---------------------------------------------------------------------------------------

/** A notice must come at least this many calendar days before the exit date. */
export const MIN_NOTICE_DAYS = 30;

export interface ExitDateInput {
  /** When the notice was received (ISO instant with an offset). */
  noticeAt: string;
  /** The exit date the partner asked for, if any ('YYYY-MM-DD', a Moscow date). */
  requestedExitDate?: string | null;
}

export interface ExitDate {
  /** The Moscow calendar date of the notice. */
  noticeDate: IsoDate;
  /** The first day without partner status. */
  exitDate: IsoDate;
  /** 00:00 Moscow time of exitDate, when the partnership ends (ISO instant, UTC). */
  exitAt: string;
}

/**
 * The exit date of a notice.
 *
 * Interpretation of "a notice at least 30 calendar days before the exit date": the notice
 * counts on its Moscow calendar date, and exitDate − noticeDate must be ≥ 30 days; so a
 * notice on 21 November allows 21 December at the earliest. The partnership ends at 00:00
 * Moscow time on the exit date: the exit date is the first day without partner status.
 * Without a requested date the exit date is noticeDate + 30 days; an earlier requested date
 * is refused (not silently moved), a later one is kept.
 *
 * @throws DomainError('validation_failed') with field problems on `noticeAt` / `exitDate`.
 */
export function exitDateFor(input: ExitDateInput): ExitDate {
  let noticeDate: IsoDate;
  try {
    noticeDate = moscowDateOf(input.noticeAt);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'must be an ISO instant';
    throw new DomainError('validation_failed', `Invalid notice time: ${message}`, [
      { field: 'noticeAt', message },
    ]);
  }
  const earliest = addDays(noticeDate, MIN_NOTICE_DAYS);
  const requested = input.requestedExitDate;
  let exitDate = earliest;
  if (requested !== undefined && requested !== null) {
    if (!isIsoDate(requested)) {
      const message = `must be a real calendar date (YYYY-MM-DD), got ${JSON.stringify(requested)}`;
      throw new DomainError('validation_failed', `Invalid exit date: ${message}`, [
        { field: 'exitDate', message },
      ]);
    }
    // ISO dates of the same shape compare chronologically as strings.
    if (requested < earliest) {
      const message = `must be on or after ${earliest} (${MIN_NOTICE_DAYS} days after the notice)`;
      throw new DomainError(
        'validation_failed',
        `Exit date ${requested} is too early: ${message}`,
        [{ field: 'exitDate', message }],
      );
    }
    exitDate = requested;
  }
  return { noticeDate, exitDate, exitAt: moscowMidnight(exitDate).toISOString() };
}

// ---------------------------------------------------------------------------------------
// Partner status (SPEC §4)
// ---------------------------------------------------------------------------------------

export const PARTNER_STATUSES = ['active', 'leaving', 'left', 'revoked'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

export const PARTNER_EVENTS = ['notice', 'withdraw_notice', 'exit', 'revoke'] as const;
export type PartnerEvent = (typeof PARTNER_EVENTS)[number];

/** For each event, the statuses it may start from and where it leads. */
const TRANSITIONS: Record<PartnerEvent, { from: readonly PartnerStatus[]; to: PartnerStatus }> = {
  notice: { from: ['active'], to: 'leaving' },
  withdraw_notice: { from: ['leaving'], to: 'active' },
  exit: { from: ['leaving'], to: 'left' },
  revoke: { from: ['active', 'leaving'], to: 'revoked' },
};

/**
 * The status after an event. 'left' and 'revoked' are final.
 * @throws DomainError('invalid_state') when the event is not allowed from `from`.
 */
export function partnerTransition(from: PartnerStatus, event: PartnerEvent): PartnerStatus {
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(from)) {
    const final = from === 'left' || from === 'revoked';
    throw new DomainError(
      'invalid_state',
      final
        ? `Cannot ${event.replace('_', ' ')}: the partner status is already ${from} (final)`
        : `Cannot ${event.replace('_', ' ')} while the partner is ${from}; allowed only when ${rule.from.join(' or ')}`,
    );
  }
  return rule.to;
}

// ---------------------------------------------------------------------------------------
// Referral commission (SPEC §3)
// ---------------------------------------------------------------------------------------

/** 10% of the referred customers' paid consumption (grants excluded). */
export const REFERRAL_COMMISSION_RATE = '0.10';

export interface ReferralCustomerConsumption {
  customerAccountId: string;
  /** The month's consumption, grants included (decimal string, up to 6 decimals). */
  amount: string;
  /** The part of `amount` covered by grants (decimal string, up to 6 decimals). */
  grants: string;
}

export interface ReferralCommissionInput {
  /** 'YYYY-MM' */
  month: string;
  customers: ReferralCustomerConsumption[];
  /** Overrides REFERRAL_COMMISSION_RATE (decimal string in [0, 1]). */
  rate?: string;
}

export interface ReferralCommissionLine {
  customerAccountId: string;
  /** Paid consumption: amount − grants, exact. */
  base: string;
  rate: string;
  /** base × rate, rounded to kopecks half-up ("10.50"). */
  amount: string;
  description: string;
}

export interface ReferralCommission {
  lines: ReferralCommissionLine[];
  /** The sum of the rounded lines ("10.50"). */
  total: string;
}

const DECIMAL_INPUT = /^-?\d{1,15}(\.\d{1,6})?$/;

function parseDecimal(text: unknown, field: string, problems: FieldProblem[]): Money | null {
  if (typeof text !== 'string' || !DECIMAL_INPUT.test(text)) {
    problems.push({ field, message: 'must be a decimal number with at most 6 decimals' });
    return null;
  }
  if (text.startsWith('-')) {
    problems.push({ field, message: 'must not be negative' });
    return null;
  }
  return new Money(text);
}

/** An exact decimal with at least two decimals ("1134.56", "0.005000" → "0.005"). */
function exact(value: Money): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}

/**
 * The month's referral commission: one line per referred customer, sorted by account id.
 * Each line is round(base × rate) half-up to kopecks with base = amount − grants; a customer
 * with nothing paid gets a 0.00 line; the total is the sum of the rounded lines.
 *
 * @throws DomainError('validation_failed') listing every bad field
 *   (`month`, `rate`, `customers.N.amount`, `customers.N.grants`, `customers.N.customerAccountId`).
 */
export function referralCommission(input: ReferralCommissionInput): ReferralCommission {
  const problems: FieldProblem[] = [];
  if (!isYearMonth(input.month)) problems.push({ field: 'month', message: 'must be YYYY-MM' });
  const rateText = input.rate ?? REFERRAL_COMMISSION_RATE;
  const rate = parseDecimal(rateText, 'rate', problems);
  if (rate?.greaterThan(1)) problems.push({ field: 'rate', message: 'must be between 0 and 1' });

  const seen = new Set<string>();
  const parsed: { customerAccountId: string; base: Money }[] = [];
  input.customers.forEach((customer, index) => {
    const path = `customers.${index}`;
    const id = customer.customerAccountId;
    if (typeof id !== 'string' || id.trim() === '') {
      problems.push({ field: `${path}.customerAccountId`, message: 'is required' });
    } else if (seen.has(id)) {
      problems.push({ field: `${path}.customerAccountId`, message: `${id} is listed twice` });
    } else {
      seen.add(id);
    }
    const amount = parseDecimal(customer.amount, `${path}.amount`, problems);
    const grants = parseDecimal(customer.grants, `${path}.grants`, problems);
    if (amount && grants) {
      if (grants.greaterThan(amount)) {
        problems.push({
          field: `${path}.grants`,
          message: `must not exceed the amount (${customer.amount})`,
        });
      } else {
        parsed.push({ customerAccountId: id, base: amount.minus(grants) });
      }
    }
  });
  if (problems.length > 0 || rate === null) {
    throw new DomainError('validation_failed', 'Invalid referral commission input', problems);
  }

  const percent = rate.times(100).toString();
  const lines = parsed
    .sort((a, b) =>
      a.customerAccountId < b.customerAccountId
        ? -1
        : a.customerAccountId > b.customerAccountId
          ? 1
          : 0,
    )
    .map(({ customerAccountId, base }): ReferralCommissionLine => {
      const amount =
        base.isPositive() && !base.isZero() ? roundKopecks(base.times(rate)) : new Money(0);
      return {
        customerAccountId,
        base: exact(base),
        rate: rateText,
        amount: formatMoney(amount),
        description: `Referral commission ${percent}% of paid consumption (grants excluded), ${input.month}, customer ${customerAccountId}`,
      };
    });
  return { lines, total: formatMoney(sumMoney(lines.map((line) => line.amount))) };
}
