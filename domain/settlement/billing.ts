/**
 * The billing rules around a settlement (SPEC §2): which consumption lines an invoice bills,
 * in which order months close, when an interim invoice is due, how invoices are numbered and
 * when they are due. The repositories read and write what these functions decide.
 *
 * The billing ledger. Every consumption line has a usage date and a number (`seq`, given at
 * ingestion). An invoice bills a partner's lines in one or two *ranges*: rectangles of
 * [usageFrom, usageTo) × (seqFrom, seqTo]. Its own month's range, and a range of late lines of
 * months closed before. One partner's ranges never overlap (the database refuses it), so no line
 * is billed twice; the ranges below are chosen so that none is left out:
 *
 * - months close in order: a month can be closed only when every earlier month with
 *   consumption has been (see `closeOrderProblem`);
 * - the close of month M fixes a watermark W (every line numbered up to W has committed) and
 *   bills, per partner, the lines of M numbered above what interim and final invoices of M
 *   already billed, up to W; and the lines of earlier months numbered in (W′, W], W′ being the
 *   previous close's watermark — exactly the lines that arrived after that close;
 * - interim and final invoices bill only their own month, and only while no close of that
 *   month (or a later one) has begun.
 *
 * By induction over the closes, once the close of M completes every billable line dated up to M
 * and numbered up to W is billed exactly once; later lines wait for the next close.
 */
import { addDays } from '../calendar/production-calendar';
import { firstOpenDate, isClosedDate } from '../closed-period';
import { Money } from '../money';
import { addMonths, earlierOf, firstDayOf, laterOf, monthOf } from './dates';
import type { IsoDate, YearMonth } from './dates';

/**
 * Services whose consumption earns no bonus (SPEC §2), by catalogue id. The one list: the SQL
 * that sums the eligible base excludes these ids, the invoice lines name them, and a test
 * checks that the service catalogue marks exactly these as excluded.
 */
export const BONUS_EXCLUDED_SERVICES = [
  { id: 'marketplace', name: 'Marketplace' },
  { id: 'managed-mongodb', name: 'Managed Service for MongoDB (StoreDoc)' },
  { id: 'cloud-interconnect', name: 'Cloud Interconnect' },
] as const;

export const BONUS_EXCLUDED_SERVICE_IDS: readonly string[] = BONUS_EXCLUDED_SERVICES.map(
  (s) => s.id,
);

/** A rectangle of consumption lines an invoice bills. Sequence numbers are decimal strings. */
export interface BilledRange {
  readonly kind: 'own' | 'adjustment';
  /** Inclusive. */
  readonly usageFrom: IsoDate;
  /** Exclusive. */
  readonly usageTo: IsoDate;
  /** Exclusive: lines numbered above this. */
  readonly seqFrom: string;
  /** Inclusive. */
  readonly seqTo: string;
}

/** One (account, day) sum of consumption lines, as SQL returns it. */
export interface DaySum {
  readonly date: IsoDate;
  readonly amount: string;
  readonly grants: string;
  /** How many lines the sum covers. */
  readonly lines: number;
}

/** A range as recorded in the ledger, with what it billed (exact, before rounding). */
export interface RecordedRange extends BilledRange {
  readonly lines: number;
  readonly amount: string;
  readonly grants: string;
}

/**
 * The ranges an invoice records, from the candidate ranges it was settled on and the sums of
 * the lines found in them: one per month with lines, cut to that month, so that finance can
 * reconcile each month on its own. A candidate with no lines records nothing — the lines it
 * could hold had all committed when it was read, and there were none.
 */
export function recordedRanges(
  candidates: readonly BilledRange[],
  days: readonly DaySum[],
): RecordedRange[] {
  const out: RecordedRange[] = [];
  for (const candidate of candidates) {
    // Sums in millionths of a ruble as integers: exact for the column's six decimals, and far
    // cheaper than decimals for the thousands of (account, day) rows of a close.
    const months = new Map<YearMonth, { lines: number; amount: bigint; grants: bigint }>();
    for (const day of days) {
      if (day.date < candidate.usageFrom || day.date >= candidate.usageTo) continue;
      const month = monthOf(day.date);
      const sums = months.get(month) ?? { lines: 0, amount: 0n, grants: 0n };
      sums.lines += day.lines;
      sums.amount += micros(day.amount);
      sums.grants += micros(day.grants);
      months.set(month, sums);
    }
    for (const [month, sums] of [...months].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({
        ...candidate,
        usageFrom: laterOf(candidate.usageFrom, firstDayOf(month)),
        usageTo: earlierOf(candidate.usageTo, firstDayOf(addMonths(month, 1))),
        lines: sums.lines,
        amount: fromMicros(sums.amount),
        grants: fromMicros(sums.grants),
      });
    }
  }
  return out;
}

/** A decimal amount with at most six decimals as an integer number of millionths. */
function micros(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) {
    const exact = new Money(text).mul(1_000_000);
    if (!exact.isInteger()) throw new RangeError(`${text} has more than six decimals`);
    return BigInt(exact.toFixed(0));
  }
  const value = BigInt(match[2] as string) * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -value : value;
}

/** Millionths back to the shortest decimal text ("10.5", "7"). */
function fromMicros(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * The first usage date whose consumption a partner's invoices bill: the first day of the month
 * its VAR membership began, and never before the program's first month. Earlier consumption of
 * its accounts was the provider's own business with them.
 */
export function billableFrom(programFirstMonth: YearMonth, varStart: IsoDate): IsoDate {
  const month = monthOf(varStart);
  return firstDayOf(month > programFirstMonth ? month : programFirstMonth);
}

/** Where a partner's billable consumption ends: its exit date (exclusive), or never. */
export type BillableUntil = IsoDate | null;

function range(
  kind: BilledRange['kind'],
  usageFrom: IsoDate,
  usageTo: IsoDate,
  seqFrom: string,
  seqTo: string,
): BilledRange | null {
  if (usageFrom >= usageTo || BigInt(seqFrom) >= BigInt(seqTo)) return null;
  return { kind, usageFrom, usageTo, seqFrom, seqTo };
}

export interface MonthlyRangesInput {
  readonly month: YearMonth;
  readonly billableFrom: IsoDate;
  /** A departed partner's exit date: consumption from that day on is not the partner's. */
  readonly until: BillableUntil;
  /** The highest line number interim and final invoices of the month billed ('0' if none). */
  readonly ownBilledUpTo: string;
  /** The previous close's watermark ('0' for the first close). */
  readonly previousWatermark: string;
  /** This close's watermark. */
  readonly watermark: string;
  /**
   * For the running invoice of an open month only: late lines count only up to here (the end
   * of the newest closed month); months in between are billed by their own closes.
   */
  readonly lateUntil?: IsoDate | null;
}

/** What the month-end invoice of a partner-month bills: its own month, then late lines. */
export function monthlyRanges(input: MonthlyRangesInput): BilledRange[] {
  const monthStart = firstDayOf(input.month);
  const nextStart = firstDayOf(addMonths(input.month, 1));
  const end = input.until ? earlierOf(nextStart, input.until) : nextStart;
  const own = range(
    'own',
    laterOf(monthStart, input.billableFrom),
    end,
    input.ownBilledUpTo,
    input.watermark,
  );
  let lateEnd = input.until ? earlierOf(monthStart, input.until) : monthStart;
  if (input.lateUntil !== undefined) {
    lateEnd = input.lateUntil === null ? input.billableFrom : earlierOf(lateEnd, input.lateUntil);
  }
  const late = range(
    'adjustment',
    input.billableFrom,
    lateEnd,
    input.previousWatermark,
    input.watermark,
  );
  return [own, late].filter((r): r is BilledRange => r !== null);
}

/**
 * What an interim or final invoice bills: its month's lines above what earlier interim
 * invoices billed, up to the watermark read when it is issued; a final invoice stops before
 * the exit date.
 */
export function partialMonthRange(input: {
  readonly month: YearMonth;
  readonly billableFrom: IsoDate;
  readonly until: BillableUntil;
  readonly billedUpTo: string;
  readonly watermark: string;
}): BilledRange | null {
  const nextStart = firstDayOf(addMonths(input.month, 1));
  return range(
    'own',
    laterOf(firstDayOf(input.month), input.billableFrom),
    input.until ? earlierOf(nextStart, input.until) : nextStart,
    input.billedUpTo,
    input.watermark,
  );
}

/** The newest month with a close, and whether that close has completed. */
export interface NewestClose {
  readonly month: YearMonth;
  readonly status: 'running' | 'completed';
}

export interface CloseOrderProblem {
  readonly reason: 'earlier_month_open' | 'later_month_closed';
  /** The month that must be closed (or finish closing) first, or the later month closed. */
  readonly month: YearMonth;
  readonly message: string;
}

/**
 * Months close in order (see the module comment). A close of `month` may begin when no later
 * month has a close and no month between the newest close (or the program's first month) and
 * `month` has consumption. The earlier close need not have completed: its lines are numbered
 * up to its own watermark, below this close's, so the two never bill the same line. A close
 * that exists already is joined, never refused: the caller checks that first.
 */
export function closeOrderProblem(input: {
  readonly month: YearMonth;
  readonly newest: NewestClose | null;
  /** The earliest month in [after the newest close, `month`) with any consumption line. */
  readonly earliestOpenMonthWithConsumption: YearMonth | null;
}): CloseOrderProblem | null {
  const { month, newest } = input;
  if (newest && newest.month > month) {
    return {
      reason: 'later_month_closed',
      month: newest.month,
      message:
        `${newest.month} is already closed, so ${month} counts as closed: its late consumption ` +
        'is billed as adjustments on the next close',
    };
  }
  const open = input.earliestOpenMonthWithConsumption;
  if (open && open < month) {
    return {
      reason: 'earlier_month_open',
      month: open,
      message: `${open} has consumption and is not closed; months close in order, close ${open} first`,
    };
  }
  return null;
}

/**
 * The months a scheduled close of `target` closes, in order: every open month with
 * consumption before it, then `target` itself.
 */
export function catchUpMonths(target: YearMonth, openMonthsWithConsumption: readonly YearMonth[]) {
  return [...new Set([...openMonthsWithConsumption.filter((m) => m < target), target])].sort();
}

/**
 * A month counts as closed once it, or a later month, has a close (running or completed): from
 * then on its consumption is billed by closes only, never by an interim or final invoice. The
 * first open date is the rule of domain/closed-period.ts, which also guards dated changes.
 */
export function isMonthClosed(month: YearMonth, newestCloseMonth: YearMonth | null): boolean {
  return isClosedDate(firstDayOf(month), firstOpenDate(newestCloseMonth));
}

export interface InterimDueInput {
  readonly paymentModel: 'advance' | 'postpaid';
  readonly threshold: string | null;
  readonly departed: boolean;
  readonly monthClosed: boolean;
  /** The month's consumption not yet billed, VAT included. */
  readonly unbilled: string;
}

/**
 * Billing threshold (SPEC §2): a postpaid partner's interim invoice is due when the month's
 * unbilled consumption reaches its threshold — unless the month's close has taken over, or the
 * partner has left (its final invoice and the closes settle it).
 */
export function interimInvoiceDue(input: InterimDueInput): boolean {
  if (input.paymentModel !== 'postpaid' || input.threshold === null) return false;
  if (input.departed || input.monthClosed) return false;
  const unbilled = new Money(input.unbilled);
  return unbilled.gt(0) && unbilled.gte(input.threshold);
}

/**
 * A range that would bill a line another invoice billed. The ledger refuses it; it means a
 * bug in the rules above, so it is never retried: the close stops, visibly.
 */
export class LedgerOverlapError extends Error {
  override readonly name = 'LedgerOverlapError';
}

export type InvoiceKind = 'monthly' | 'interim' | 'final';

/** VAR-YYYYMM-<first 8 of the partner id>, with -I<n> for interim and -F for final invoices. */
export function invoiceNumber(
  kind: InvoiceKind,
  month: YearMonth,
  partnerId: string,
  sequence = 0,
): string {
  const base = `VAR-${month.replace('-', '')}-${partnerId.slice(0, 8).toUpperCase()}`;
  if (kind === 'interim') return `${base}-I${sequence}`;
  if (kind === 'final') return `${base}-F`;
  return base;
}

/**
 * When an invoice is due. Advance payers' monthly and final invoices are drawn from the prepaid
 * balance and have none. A month-end invoice is due on the `paymentTermDays`-th day of the next
 * month; an interim or final invoice, issued mid-month, `paymentTermDays` after its issue date.
 * An invoice is never due on or before the day it is issued: a month-end invoice of a month
 * closed late (on demand, after that day) is due `paymentTermDays` after its issue date.
 */
export function invoiceDueDate(input: {
  readonly kind: InvoiceKind;
  readonly month: YearMonth;
  /** The issue date (Moscow). */
  readonly issuedOn: IsoDate;
  readonly paymentModel: 'advance' | 'postpaid';
  readonly paymentTermDays: number;
}): IsoDate | null {
  if (input.paymentModel === 'advance' && input.kind !== 'interim') return null;
  if (input.kind === 'monthly') {
    const byTerm = addDays(firstDayOf(addMonths(input.month, 1)), input.paymentTermDays - 1);
    if (byTerm > input.issuedOn) return byTerm;
  }
  return addDays(input.issuedOn, input.paymentTermDays);
}

/**
 * Whether the close issues a partner a month-end invoice. An active VAR partner gets one every
 * month, even at zero (it shows the month was settled). A partner who left gets one only for
 * consumption that arrived after its final invoice: never an empty one.
 */
export function issuesMonthlyInvoice(input: {
  readonly departed: boolean;
  readonly finalInvoiceIssued: boolean;
  readonly afterExitMonth: boolean;
  readonly hasConsumption: boolean;
}): boolean {
  if (input.hasConsumption) return true;
  return !(input.finalInvoiceIssued || (input.departed && input.afterExitMonth));
}

/**
 * After a partner's final invoice (or in months after its exit) the month-end invoice carries
 * only late consumption: the final invoice took the month's rebates and withdrawals.
 */
export function settledByFinalInvoice(input: {
  readonly finalInvoiceIssued: boolean;
  readonly afterExitMonth: boolean;
}): boolean {
  return input.finalInvoiceIssued || input.afterExitMonth;
}

/** A month's consumption beside what was billed for it (see the reconciliation). */
export interface ReconciliationFigures {
  readonly consumption: { readonly lines: number; readonly amount: string };
  readonly billed: readonly { readonly lines: number; readonly amount: string }[];
  /** Lines that arrived after the last close and wait for the next one. */
  readonly pending: { readonly lines: number; readonly amount: string };
}

/**
 * consumption − Σ billed − pending, exact, and the same in lines. Both are zero when every
 * line of the month is billed once or waits for the next close; anything else is flagged.
 */
export function reconciliationDifference(figures: ReconciliationFigures): {
  difference: string;
  lineDifference: number;
  flagged: boolean;
} {
  const billed = figures.billed.reduce((sum, b) => sum.plus(b.amount), new Money(0));
  const difference = new Money(figures.consumption.amount)
    .minus(billed)
    .minus(figures.pending.amount);
  const lineDifference =
    figures.consumption.lines -
    figures.billed.reduce((sum, b) => sum + b.lines, 0) -
    figures.pending.lines;
  return {
    difference: difference.toFixed(),
    lineDifference,
    flagged: !difference.isZero() || lineDifference !== 0,
  };
}
