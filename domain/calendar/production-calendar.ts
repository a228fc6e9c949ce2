/**
 * Business days by the official Russian production calendar, and the manager review SLA
 * built on them (SPEC §1.6).
 *
 * Everything here is pure: the current time is always passed in. Calendar dates are plain
 * 'YYYY-MM-DD' strings and all arithmetic goes through Date.UTC, so the host's time zone
 * never leaks into a result. Moscow has been on a fixed UTC+3 with no DST since
 * 26 October 2014, which lets us convert without a time-zone database.
 */
import { RUSSIA_2025 } from './russia-2025';
import { RUSSIA_2026 } from './russia-2026';
import { RUSSIA_2027 } from './russia-2027';

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

/** One dated entry of a year's calendar data, with a note saying what it is. */
export interface CalendarDay {
  readonly date: IsoDate;
  readonly note: string;
}

/**
 * The data for one year. Only the exceptions to "Monday–Friday works, Saturday–Sunday
 * rests" are listed, so a year is a few dozen lines that can be checked against the decree.
 */
export interface ProductionCalendarYear {
  readonly year: number;
  /** The government decree the transfers come from. */
  readonly source: string;
  /** Public holidays (also those on a weekend) and weekdays made days off by a transfer. */
  readonly daysOff: readonly CalendarDay[];
  /** Saturdays or Sundays made working days by a transfer. */
  readonly workingWeekendDays: readonly CalendarDay[];
}

/**
 * Raised for a date in a year we ship no calendar for: guessing from weekends alone would
 * silently move deadlines across unknown holidays, so the caller must see the gap.
 */
export class CalendarDataMissingError extends Error {
  constructor(readonly year: number) {
    super(
      `No production calendar data for ${year}: add domain/calendar/russia-${year}.ts from the government decree for that year`,
    );
    this.name = 'CalendarDataMissingError';
  }
}

/** Business days a manager has for a review (SPEC §1.6). */
export const REVIEW_SLA_BUSINESS_DAYS = 7;

const DAY_MS = 86_400_000;
const MOSCOW_OFFSET_MS = 3 * 3_600_000;
/** Moscow switched from UTC+4 to a permanent UTC+3 at this instant (26 Oct 2014, 02:00 MSK). */
const FIXED_OFFSET_SINCE_MS = Date.UTC(2014, 9, 25, 22);
/** The first whole Moscow calendar date on UTC+3. */
const FIXED_OFFSET_FIRST_DATE = '2014-10-27';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An instant must carry its offset; a bare local time would be read in the host's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

interface YearIndex {
  readonly daysOff: ReadonlySet<IsoDate>;
  readonly workingWeekendDays: ReadonlySet<IsoDate>;
}

/** Milliseconds at 00:00 UTC of the date; rejects malformed or impossible dates. */
function utcMs(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const ms = Date.UTC(y, m - 1, d);
    // Date.UTC rolls 30 February over to March; the round trip catches that.
    if (new Date(ms).toISOString().slice(0, 10) === date) return ms;
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function isoDateOf(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function isWeekend(date: IsoDate): boolean {
  const weekday = new Date(utcMs(date)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Builds the lookup and checks the shipped data, so a typo fails at start-up, not in a deadline. */
function indexYears(years: readonly ProductionCalendarYear[]): ReadonlyMap<number, YearIndex> {
  const index = new Map<number, YearIndex>();
  for (const data of years) {
    if (index.has(data.year)) throw new Error(`Calendar year ${data.year} is listed twice`);
    const collect = (days: readonly CalendarDay[], label: string): Set<IsoDate> => {
      const set = new Set<IsoDate>();
      for (const { date } of days) {
        utcMs(date);
        if (!date.startsWith(`${data.year}-`) || set.has(date)) {
          throw new Error(`Calendar ${data.year}: bad or repeated ${label} entry ${date}`);
        }
        set.add(date);
      }
      return set;
    };
    const daysOff = collect(data.daysOff, 'day-off');
    const workingWeekendDays = collect(data.workingWeekendDays, 'working-weekend');
    for (const date of workingWeekendDays) {
      if (!isWeekend(date) || daysOff.has(date)) {
        throw new Error(`Calendar ${data.year}: ${date} cannot be a working weekend day`);
      }
    }
    index.set(data.year, { daysOff, workingWeekendDays });
  }
  return index;
}

const CALENDAR = indexYears([RUSSIA_2025, RUSSIA_2026, RUSSIA_2027]);

/** Years for which business-day questions can be answered, ascending. */
export function supportedYears(): number[] {
  return [...CALENDAR.keys()].sort((a, b) => a - b);
}

function toInstantMs(instant: Date | string): number {
  if (typeof instant === 'string' && !ISO_INSTANT.test(instant)) {
    throw new RangeError(
      `Not an ISO instant with an offset (e.g. 2026-03-05T22:30:00Z): ${JSON.stringify(instant)}`,
    );
  }
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${String(instant)}`);
  if (ms < FIXED_OFFSET_SINCE_MS) {
    throw new RangeError(`Instants before Moscow's fixed UTC+3 (26 Oct 2014) are not supported`);
  }
  return ms;
}

/** The Moscow calendar date of an instant. */
export function moscowDateOf(instant: Date | string): IsoDate {
  return isoDateOf(toInstantMs(instant) + MOSCOW_OFFSET_MS);
}

/** The instant at which the given date starts in Moscow (21:00Z of the previous UTC day). */
export function moscowMidnight(date: IsoDate): Date {
  const ms = utcMs(date);
  if (date < FIXED_OFFSET_FIRST_DATE) {
    throw new RangeError(`Dates before Moscow's fixed UTC+3 (26 Oct 2014) are not supported`);
  }
  return new Date(ms - MOSCOW_OFFSET_MS);
}

/** The date n calendar days after (or, for negative n, before) the given one. */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Day count must be an integer: ${n}`);
  return isoDateOf(utcMs(date) + n * DAY_MS);
}

/**
 * Whether the date is a working day in the Russian production calendar.
 * @throws CalendarDataMissingError when the date's year has no shipped data.
 */
export function isBusinessDay(date: IsoDate): boolean {
  const year = new Date(utcMs(date)).getUTCFullYear();
  const data = CALENDAR.get(year);
  if (!data) throw new CalendarDataMissingError(year);
  if (data.workingWeekendDays.has(date)) return true;
  if (data.daysOff.has(date)) return false;
  return !isWeekend(date);
}

/**
 * The n-th business day strictly after the date (n ≥ 1); the date itself never counts, so it
 * may lie in a year without data as long as the days walked over do not.
 */
export function addBusinessDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Business day count must be an integer ≥ 1: ${n}`);
  }
  let day = date;
  for (let found = 0; found < n;) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) found += 1;
  }
  return day;
}

/** The first business day strictly after the date. */
export function nextBusinessDay(date: IsoDate): IsoDate {
  return addBusinessDays(date, 1);
}

/**
 * Business days d with from < d ≤ to: how many business days remain until `to`, counting
 * `to` and not today. Zero when the dates are equal. When `to` is before `from` the result
 * is the negated count of business days d with to < d ≤ from, so a countdown past its last
 * day shows how many business days it is overdue.
 */
export function businessDaysBetween(from: IsoDate, to: IsoDate): number {
  const fromMs = utcMs(from);
  const toMs = utcMs(to);
  const [start, end, sign] = toMs < fromMs ? [toMs, fromMs, -1] : [fromMs, toMs, 1];
  let count = 0;
  for (let ms = start + DAY_MS; ms <= end; ms += DAY_MS) {
    if (isBusinessDay(isoDateOf(ms))) count += 1;
  }
  // `sign * 0` would be -0, which is not the 0 a caller compares against.
  return count === 0 ? 0 : sign * count;
}

export interface ReviewSla {
  /** Moscow calendar date of the submission; never counted itself. */
  submittedOn: IsoDate;
  /** The 7th business day after submittedOn: the last day the manager has. */
  lastReviewDay: IsoDate;
  /** 00:00 Moscow at the start of lastReviewDay (ISO instant, UTC). */
  reminderAt: string;
  /** 00:00 Moscow of the day after lastReviewDay (ISO instant, UTC). */
  deadline: string;
}

/**
 * Manager review SLA (SPEC §1.6): "00:00 Moscow time of the day after the 7th business day
 * that follows the day of submission". The reminder is due as the last review day begins.
 */
export function reviewSla(submittedAt: Date | string): ReviewSla {
  const submittedOn = moscowDateOf(submittedAt);
  const lastReviewDay = addBusinessDays(submittedOn, REVIEW_SLA_BUSINESS_DAYS);
  return {
    submittedOn,
    lastReviewDay,
    reminderAt: moscowMidnight(lastReviewDay).toISOString(),
    deadline: moscowMidnight(addDays(lastReviewDay, 1)).toISOString(),
  };
}
