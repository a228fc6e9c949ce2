/**
 * Which months a close may settle and which months can have been closed (SPEC §2: "on
 * demand, for a month from the program's first month to the last full one"). The month that
 * is still running in Moscow time is never closable; nothing before the program's first
 * month ever is. Pure: `now` and the first month are passed in.
 */
import { isYearMonth, type YearMonth } from './settlement/dates';
import { previousMonthInMoscow } from './settlement/periods';

export interface MonthRange {
  /** The program's first month. */
  from: YearMonth;
  /** The last full month in Moscow time; before `from` while the program has none. */
  to: YearMonth;
}

/** The months a close may settle at the instant `now` (ISO string). */
export function closableMonths(now: string, programFirstMonth: YearMonth): MonthRange {
  if (!isYearMonth(programFirstMonth)) {
    throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(programFirstMonth)}`);
  }
  return { from: programFirstMonth, to: previousMonthInMoscow(now) };
}

/** Why `month` cannot be closed now, in words naming the allowed range; null when it can. */
export function closeMonthProblem(month: YearMonth, range: MonthRange): string | null {
  if (range.to < range.from) {
    return `no month can be closed yet: the program starts in ${range.from} and its first month has not ended`;
  }
  if (month < range.from || month > range.to) {
    return `must be a month from ${range.from} (the program's first month) to ${range.to} (the last full month in Moscow time)`;
  }
  return null;
}

/**
 * Why `month` can have no close or issued invoice to report on; null when it can. Only the
 * lower bound: a later month is simply not closed (yet), which is a 404, not a bad request.
 */
export function reportMonthProblem(month: YearMonth, programFirstMonth: YearMonth): string | null {
  return month < programFirstMonth
    ? `must be ${programFirstMonth} (the program's first month) or later`
    : null;
}
