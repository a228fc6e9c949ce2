/**
 * Program terms as data with effective dates (SPEC §2): the base bonus rate and the VAT rate
 * change over time, so a settlement never hard-codes them — it looks up the rate in force.
 */
import { DomainError } from '../errors';
import { Money } from '../money';
import { Problems, rate as parseRate } from './amounts';
import { firstDayOf, isIsoDate, type IsoDate, type YearMonth } from './dates';

/** One rate and the date from which it applies, until the next entry's `from`. */
export interface RateEntry {
  readonly from: IsoDate;
  /** A fraction as a decimal string, e.g. "0.10". */
  readonly rate: string;
}

/** Entries in strictly ascending `from` order. */
export type RateSchedule = readonly RateEntry[];

export interface VarTerms {
  /** The base partner bonus on the eligible base (10%). */
  readonly baseBonusRates: RateSchedule;
  /** The VAT rate contained in the VAT-inclusive prices. */
  readonly vatRates: RateSchedule;
}

/** A deal adds at most 15 percentage points (SPEC §2). */
export const MAX_DEAL_UPLIFT_RATE = '0.15';
/** A project's growth rebate is at most 15% (SPEC §2). */
export const MAX_PROJECT_REBATE_RATE = '0.15';
/**
 * The highest base bonus rate a schedule may hold. With base + deal uplift ≤ 50%, the
 * discount lines of a month, each rounded half-up, can never exceed the rounded net
 * consumption of the customers (proof in settle.ts), so the payable stays ≥ 0 without a
 * silent floor that would break "the total is the sum of the lines". 35% is far above any
 * real term; a schedule beyond it is refused.
 */
export const MAX_BASE_BONUS_RATE = '0.35';

/**
 * The terms as shipped. The bonus schedule starts with the first month this platform
 * settles (2025-01); earlier months raise NoRateInForceError rather than guessing. VAT was
 * 20% since 2019-01-01 and is 22% from 2026-01-01.
 */
export const VAR_TERMS: VarTerms = {
  baseBonusRates: [{ from: '2025-01-01', rate: '0.10' }],
  vatRates: [
    { from: '2019-01-01', rate: '0.20' },
    { from: '2026-01-01', rate: '0.22' },
  ],
};

/**
 * The date lies before a schedule's first entry: the terms do not say what applied, and
 * settling with a guessed rate would issue a wrong, unchangeable document.
 */
export class NoRateInForceError extends DomainError {
  constructor(
    readonly schedule: string,
    readonly date: IsoDate,
    readonly firstFrom: IsoDate | undefined,
  ) {
    super(
      'invalid_state',
      firstFrom === undefined
        ? `The ${schedule} schedule is empty: no rate is in force on ${date}`
        : `No ${schedule} rate is in force on ${date}: the schedule starts on ${firstFrom}`,
    );
    this.name = 'NoRateInForceError';
  }
}

/** Records every problem of a schedule: bad dates, order, or rates outside [0, maxRate]. */
export function checkSchedule(
  schedule: unknown,
  field: string,
  maxRate: string,
  problems: Problems,
): void {
  if (!Array.isArray(schedule)) {
    problems.add(field, 'must be a list of { from, rate } entries');
    return;
  }
  let previous: string | undefined;
  schedule.forEach((entry: Partial<RateEntry> | null, i) => {
    const from = entry?.from;
    if (!isIsoDate(from)) {
      problems.add(`${field}[${i}].from`, 'must be a date YYYY-MM-DD');
    } else {
      if (previous !== undefined && from <= previous) {
        problems.add(`${field}[${i}].from`, `must be after the previous entry's ${previous}`);
      }
      previous = from;
    }
    parseRate(entry?.rate, `${field}[${i}].rate`, problems, {
      min: '0',
      max: maxRate,
      minInclusive: true,
    });
  });
}

function assertSchedule(schedule: RateSchedule, name: string): void {
  const problems = new Problems();
  checkSchedule(schedule, name, '1', problems);
  problems.throwIfAny(`Invalid ${name} schedule`);
}

/**
 * The rate in force on a date: the last entry whose `from` is on or before it.
 * @throws NoRateInForceError when the date is before the first entry.
 */
export function rateOn(schedule: RateSchedule, date: IsoDate, name = 'rate'): string {
  assertSchedule(schedule, name);
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${JSON.stringify(date)}`);
  let found: RateEntry | undefined;
  for (const entry of schedule) if (entry.from <= date) found = entry;
  if (!found) throw new NoRateInForceError(name, date, schedule[0]?.from);
  return new Money(found.rate).toFixed();
}

/**
 * The rate for a whole month: the one in force on its first day. An entry dated mid-month
 * therefore first applies to the following month — a month is settled at one rate, as the
 * documents show one rate per month.
 */
export function monthlyRate(schedule: RateSchedule, month: YearMonth, name = 'rate'): string {
  return rateOn(schedule, firstDayOf(month), name);
}
