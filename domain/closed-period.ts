/**
 * Closed months (SPEC §2: "a change dated into a closed month never rewrites an issued
 * document and is never credited twice"). Months are closed in order, so a month is closed
 * once it or any later month has a close, running or completed; every date before the first
 * day after the newest closed month is closed. A change dated there is refused (422) with the
 * first open date, rather than credited later: see docs/DECISIONS.md.
 */
import { addDays } from './calendar/production-calendar';
import { DomainError, type FieldProblem } from './errors';
import {
  addMonths,
  firstDayOf,
  isIsoDate,
  isYearMonth,
  monthOf,
  type IsoDate,
} from './settlement/dates';

/**
 * The first day no close covers: the 1st of the month after the newest closed month. Null
 * when no month was ever closed, so every date is open.
 */
export function firstOpenDate(newestClosedMonth: string | null): IsoDate | null {
  if (newestClosedMonth === null) return null;
  if (!isYearMonth(newestClosedMonth)) {
    throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(newestClosedMonth)}`);
  }
  return firstDayOf(addMonths(newestClosedMonth, 1));
}

/** Whether a date falls in a closed month, given the first open date. */
export function isClosedDate(date: IsoDate, firstOpen: IsoDate | null): boolean {
  return firstOpen !== null && date < firstOpen;
}

/**
 * Why a change starting on `date` may not be made, or null when it may: the date must be on
 * or after the first open date. A date that is not a calendar date is left to the other
 * checks, which name the field's format.
 */
export function closedStartProblem(
  field: string,
  date: string,
  firstOpen: IsoDate | null,
): FieldProblem | null {
  if (!isIsoDate(date) || !isClosedDate(date, firstOpen)) return null;
  return {
    field,
    message: `${date} falls in ${monthOf(date)}, which is closed; the first open date is ${firstOpen}`,
    code: 'date_in_closed_month',
    params: { date, month: monthOf(date), firstOpen: firstOpen ?? '' },
  };
}

/**
 * Why something may not end on `endDate` (its last day, inclusive), or null when it may.
 * Ending it changes the days after `endDate`, so the day after must be open: the earliest
 * end is the day before the first open date.
 */
export function closedEndProblem(
  field: string,
  endDate: string,
  firstOpen: IsoDate | null,
): FieldProblem | null {
  if (!isIsoDate(endDate) || firstOpen === null) return null;
  const earliest = addDays(firstOpen, -1);
  if (endDate >= earliest) return null;
  return {
    field,
    message:
      `${endDate} would end it inside ${monthOf(endDate)}, which is closed; the first open ` +
      `date is ${firstOpen}, so the earliest end is ${earliest}`,
    code: 'end_in_closed_month',
    params: { date: endDate, month: monthOf(endDate), firstOpen, earliest },
  };
}

function refuse(problem: FieldProblem | null): void {
  if (problem === null) return;
  throw new DomainError('validation_failed', `${problem.field} ${problem.message}`, [problem], {
    reason: 'closed_period',
    params: { field: problem.field },
  });
}

/** Throws a 422-mapped DomainError naming the field and the first open date. */
export function assertOpenDate(date: string, firstOpen: IsoDate | null, field: string): void {
  refuse(closedStartProblem(field, date, firstOpen));
}

/** Throws a 422-mapped DomainError when ending on `endDate` would change a closed month. */
export function assertOpenEnd(endDate: string, firstOpen: IsoDate | null, field: string): void {
  refuse(closedEndProblem(field, endDate, firstOpen));
}
