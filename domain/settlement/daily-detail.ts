/**
 * Which of a partner's accounts the settlement needs day by day. A deal's uplift goes to the
 * deal that wins each day of its linked customer (deals.ts), so a customer account linked by
 * a deal is settled from its per-day sums. Every other account only adds to its month's
 * totals (consumption, grants, eligible base, the customer count, whether the own account
 * consumed): one sum per (account, month) gives the same invoice as its days, and saves the
 * close from reading and adding thirty rows where one will do.
 */
import type { Deal } from './deals';

/** The accounts whose consumption must reach the rules as (account, day) sums. */
export function accountsSettledByDay(deals: readonly Pick<Deal, 'customerAccountId'>[]): string[] {
  return [...new Set(deals.map((deal) => deal.customerAccountId))];
}

/**
 * Whether a billed range can be read as whole months: both its ends are the first of a
 * month, so a month's sum lies either wholly inside it or wholly outside.
 */
export function coversWholeMonths(range: { usageFrom: string; usageTo: string }): boolean {
  return range.usageFrom.endsWith('-01') && range.usageTo.endsWith('-01');
}
