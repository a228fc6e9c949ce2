/**
 * Which of a partner's accounts the settlement needs day by day. A deal's uplift goes to the
 * deal that wins each day of its linked customer (deals.ts), so a customer account linked by
 * a deal is settled from its per-day sums. Every other account only adds to its month's
 * totals (consumption, grants, eligible base, the customer count, whether the own account
 * consumed): one sum per (account, month) gives the same invoice as its days, and saves the
 * close from reading and adding thirty rows where one will do. The same holds for the days of
 * a deal's customer on which no deal links it.
 */
import type { Deal } from './deals';

/** Days from `from` to `to` (both inclusive; `to` null: open) of one account. */
export interface DailySpan {
  readonly accountId: string;
  readonly from: string;
  readonly to: string | null;
}

/**
 * The days whose consumption must reach the rules as (account, day) sums: for each customer
 * linked by a deal, from its first deal's first linked day to its last deal's last (open
 * when any link is). A day outside it has no deal to win, so it only adds to its month's
 * totals like the days of an account without a deal.
 */
export function daysSettledByDay(
  deals: readonly Pick<Deal, 'customerAccountId' | 'from' | 'to'>[],
): DailySpan[] {
  const spans = new Map<string, { from: string; to: string | null }>();
  for (const deal of deals) {
    const span = spans.get(deal.customerAccountId);
    if (!span) {
      spans.set(deal.customerAccountId, { from: deal.from, to: deal.to });
      continue;
    }
    if (deal.from < span.from) span.from = deal.from;
    if (span.to !== null && (deal.to === null || deal.to > span.to)) span.to = deal.to;
  }
  return [...spans].map(([accountId, span]) => ({ accountId, ...span }));
}

/**
 * Whether a billed range can be read as whole months: both its ends are the first of a
 * month, so a month's sum lies either wholly inside it or wholly outside.
 */
export function coversWholeMonths(range: { usageFrom: string; usageTo: string }): boolean {
  return range.usageFrom.endsWith('-01') && range.usageTo.endsWith('-01');
}
