/**
 * Calendar arithmetic for the settlement: plain 'YYYY-MM-DD' dates and 'YYYY-MM' months.
 *
 * Consumption days are Moscow calendar dates already (the SQL groups by the Moscow date), so
 * no time zone is involved here; all arithmetic goes through Date.UTC so the host's zone
 * never leaks in. ISO strings of the same shape compare chronologically as plain strings,
 * which the rules below rely on.
 */

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A calendar month, 'YYYY-MM'. */
export type YearMonth = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether the value is a real calendar date (no 30 February). */
/**
 * Dates checked so far: a close checks the same few hundred dates millions of times. The
 * answer for a string never changes, so it is kept (bounded, since any string may come in).
 */
const checkedDates = new Map<string, boolean>();
const MAX_CHECKED_DATES = 10_000;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const known = checkedDates.get(value);
  if (known !== undefined) return known;
  const match = ISO_DATE.exec(value);
  let valid = false;
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    // Date.UTC rolls 30 February over to March; the round trip catches that.
    valid = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === value;
  }
  if (checkedDates.size < MAX_CHECKED_DATES) checkedDates.set(value, valid);
  return valid;
}

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && YEAR_MONTH.test(value);
}

function utcMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${JSON.stringify(date)}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8)));
}

function parts(month: YearMonth): [number, number] {
  if (!isYearMonth(month)) throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
}

export function monthOf(date: IsoDate): YearMonth {
  utcMs(date);
  return date.slice(0, 7);
}

export function firstDayOf(month: YearMonth): IsoDate {
  parts(month);
  return `${month}-01`;
}

export function daysInMonth(month: YearMonth): number {
  const [y, m] = parts(month);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function lastDayOf(month: YearMonth): IsoDate {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

/** The month n months after (negative: before) the given one. */
export function addMonths(month: YearMonth, n: number): YearMonth {
  if (!Number.isInteger(n)) throw new RangeError(`Month count must be an integer: ${n}`);
  const [y, m] = parts(month);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** How many months `to` is after `from` (negative when before). */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const [fy, fm] = parts(from);
  const [ty, tm] = parts(to);
  return (ty - fy) * 12 + (tm - fm);
}

/** Calendar days from `from` to `to`, both counted; 0 when `to` is before `from`. */
export function daysInclusive(from: IsoDate, to: IsoDate): number {
  const days = (utcMs(to) - utcMs(from)) / DAY_MS + 1;
  return Math.max(0, days);
}

/** Quarters end in March, June, September and December. */
export function isQuarterEnd(month: YearMonth): boolean {
  return parts(month)[1] % 3 === 0;
}

/** The quarter's label, e.g. '2025-Q4'. */
export function quarterOf(month: YearMonth): string {
  const [y, m] = parts(month);
  return `${String(y).padStart(4, '0')}-Q${Math.ceil(m / 3)}`;
}

/** The later / earlier of two ISO dates (string order is chronological). */
export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
export function earlierOf(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}
