/**
 * Leaving and revocation (SPEC §4).
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
import { DomainError } from './errors';
import { isIsoDate } from './settlement/dates';

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
    throw new DomainError(
      'validation_failed',
      `Invalid notice time: ${message}`,
      [{ field: 'noticeAt', message, code: 'invalid_format', params: { format: 'datetime' } }],
      { reason: 'notice_time_invalid' },
    );
  }
  const earliest = addDays(noticeDate, MIN_NOTICE_DAYS);
  const requested = input.requestedExitDate;
  let exitDate = earliest;
  if (requested !== undefined && requested !== null) {
    if (!isIsoDate(requested)) {
      const message = `must be a real calendar date (YYYY-MM-DD), got ${JSON.stringify(requested)}`;
      throw new DomainError(
        'validation_failed',
        `Invalid exit date: ${message}`,
        [{ field: 'exitDate', message, code: 'invalid_format', params: { format: 'date' } }],
        { reason: 'exit_date_invalid', params: { exitDate: String(requested) } },
      );
    }
    // ISO dates of the same shape compare chronologically as strings.
    if (requested < earliest) {
      const message = `must be on or after ${earliest} (${MIN_NOTICE_DAYS} days after the notice)`;
      throw new DomainError(
        'validation_failed',
        `Exit date ${requested} is too early: ${message}`,
        [
          {
            field: 'exitDate',
            message,
            code: 'notice_too_short',
            params: { earliest, days: MIN_NOTICE_DAYS },
          },
        ],
        {
          reason: 'exit_date_too_early',
          params: { exitDate: requested, earliest, days: MIN_NOTICE_DAYS },
        },
      );
    }
    exitDate = requested;
  }
  return { noticeDate, exitDate, exitAt: moscowMidnight(exitDate).toISOString() };
}

/**
 * The month of an exit's partial month: the month of the last day with partner status (the
 * day before the exit date). An exit on the 1st leaves the whole previous month.
 */
export function exitMonthOf(exitDate: IsoDate): string {
  return addDays(exitDate, -1).slice(0, 7);
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
      [],
      { reason: 'partner_transition_not_allowed', params: { event, status: from } },
    );
  }
  return rule.to;
}

/**
 * SPEC §4: an organization that is a partner cannot apply again until it has left. Active and
 * leaving partners hold the status; a partner that left or was revoked no longer does.
 */
export function holdsPartnerStatus(status: PartnerStatus): boolean {
  return status === 'active' || status === 'leaving';
}
