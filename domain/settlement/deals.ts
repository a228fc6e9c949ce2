/**
 * Deal registration uplift (SPEC §2): a deal links a customer subaccount to the partner and
 * adds a per-deal rate (0 < r ≤ 15 pp) on that customer's eligible consumption, for the days
 * the link is active.
 */
import { Money } from '../money';
import { daysInclusive, earlierOf, firstDayOf, laterOf, lastDayOf } from './dates';
import type { IsoDate, YearMonth } from './dates';

export interface Deal {
  readonly dealId: string;
  readonly customerAccountId: string;
  /** A fraction, 0 < r ≤ 0.15, e.g. "0.05". */
  readonly upliftRate: string;
  /** First linked day, inclusive. */
  readonly from: IsoDate;
  /** Last linked day, inclusive; null while the link is open. */
  readonly to: IsoDate | null;
}

/** A deal with its rate parsed, as the settlement uses it. */
export interface ParsedDeal extends Deal {
  readonly rate: Money;
}

/** Whether the link covers the day: `from` and `to` both count. */
export function isLinkedOn(deal: Deal, date: IsoDate): boolean {
  return deal.from <= date && (deal.to === null || date <= deal.to);
}

/** The part of the month the link covers, or null when it covers none of it. */
export function linkedDaysInMonth(
  deal: Deal,
  month: YearMonth,
): { first: IsoDate; last: IsoDate; days: number } | null {
  const first = laterOf(deal.from, firstDayOf(month));
  const last = deal.to === null ? lastDayOf(month) : earlierOf(deal.to, lastDayOf(month));
  const days = daysInclusive(first, last);
  return days > 0 ? { first, last, days } : null;
}

/**
 * The one deal whose uplift applies to a customer's day when several link it at once: the
 * highest rate. Uplifts do not add up: SPEC grants "up to 15 percentage points" on a
 * customer's consumption, which summing overlapping deals could exceed, while the highest rate
 * still gives the partner the best deal it registered for every day. Ties go to the earlier
 * link, then the smaller dealId, so the choice does not depend on the order rows arrive in.
 */
export function winningDeal<D extends Deal>(deals: readonly D[], date: IsoDate): D | undefined {
  let best: D | undefined;
  let bestRate = new Money(0);
  for (const deal of deals) {
    if (!isLinkedOn(deal, date)) continue;
    const rate = new Money(deal.upliftRate);
    if (
      !best ||
      rate.gt(bestRate) ||
      (rate.eq(bestRate) &&
        (deal.from < best.from || (deal.from === best.from && deal.dealId < best.dealId)))
    ) {
      best = deal;
      bestRate = rate;
    }
  }
  return best;
}
