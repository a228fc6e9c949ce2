/**
 * The manager's one review queue: applications, deal and project registrations,
 * specialization applications and presale requests, nearest deadline first. What a deadline
 * means for each kind, how many business days are left, and the queue's order live here;
 * time is always passed in.
 */
import {
  CalendarDataMissingError,
  addDays,
  businessDaysBetween,
  moscowDateOf,
  moscowMidnight,
  supportedYears,
  type IsoDate,
} from './calendar/production-calendar';

export const REVIEW_QUEUE_KINDS = [
  'application',
  'deal',
  'project',
  'specialization',
  'presale',
] as const;
export type ReviewQueueKind = (typeof REVIEW_QUEUE_KINDS)[number];

export interface ReviewCountdown {
  /** The Moscow date just before the deadline instant: the last day to act. */
  lastReviewDay: IsoDate;
  /**
   * Business days left, today included as today: the business days after yesterday up to
   * and including the last review day. Zero once the deadline has passed.
   */
  businessDaysLeft: number;
  /** The deadline has passed (it is an instant: at the deadline itself it is late). */
  overdue: boolean;
}

/** The last day the production calendar knows: counts stop there instead of guessing. */
function lastKnownDay(): IsoDate {
  const years = supportedYears();
  return `${years[years.length - 1]}-12-31`;
}

/**
 * How a deadline stands at `now`. A last day beyond the production calendar's known years
 * counts the business days up to the end of the last known year (a lower bound: the queue
 * orders by the deadline itself, never by this count).
 */
export function reviewCountdown(deadline: Date | string, now: Date | string): ReviewCountdown {
  const deadlineMs = new Date(deadline).getTime();
  const lastReviewDay = moscowDateOf(new Date(deadlineMs - 1));
  const overdue = deadlineMs <= new Date(now).getTime();
  if (overdue) return { lastReviewDay, businessDaysLeft: 0, overdue };
  const yesterday = addDays(moscowDateOf(now), -1);
  const known = lastKnownDay();
  const countTo = lastReviewDay > known ? known : lastReviewDay;
  let businessDaysLeft: number;
  try {
    businessDaysLeft = businessDaysBetween(yesterday, countTo);
  } catch (error) {
    // Today itself before the calendar's first year: nothing sensible to count.
    if (error instanceof CalendarDataMissingError) businessDaysLeft = 0;
    else throw error;
  }
  return { lastReviewDay, businessDaysLeft, overdue };
}

/**
 * A presale request's deadline in the queue: the first-answer SLA deadline while nobody
 * has answered; once answered, the end of the desired date (Moscow) when the request names
 * one, else still the first-answer deadline.
 */
export function presaleQueueDeadline(request: {
  slaDeadline: string;
  firstAnsweredAt: string | null;
  desiredDate: IsoDate | null;
}): string {
  if (request.firstAnsweredAt === null || request.desiredDate === null) return request.slaDeadline;
  return moscowMidnight(addDays(request.desiredDate, 1)).toISOString();
}

/**
 * The queue's order: the nearest deadline first; on a tie the earlier submitted first (a
 * record not submitted yet after those that are), then by id so the order is stable.
 */
export function compareQueueItems(
  a: { deadline: string; submittedAt: string | null; id: string },
  b: { deadline: string; submittedAt: string | null; id: string },
): number {
  const byDeadline = Date.parse(a.deadline) - Date.parse(b.deadline);
  if (byDeadline !== 0) return byDeadline;
  if (a.submittedAt !== b.submittedAt) {
    if (a.submittedAt === null) return 1;
    if (b.submittedAt === null) return -1;
    const bySubmission = Date.parse(a.submittedAt) - Date.parse(b.submittedAt);
    if (bySubmission !== 0) return bySubmission;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
