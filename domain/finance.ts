import { formatMoney, Money, sumMoney } from './money';
import { payoutDestination, type BankDetailsOnFile } from './payouts';
import { monthInMoscow } from './settlement/periods';

/**
 * The finance console's arithmetic (issue 14): a month's totals from its issued invoices,
 * commission statements and payouts, and the payout register's statuses. Pure: the
 * repository reads the rows, these functions add them up, so every total shown or exported
 * is the sum of the rows listed beside it.
 */

export type InvoiceKind = 'monthly' | 'interim' | 'final';

/** An issued invoice's totals, as stored (two-decimal strings). */
export interface FinanceInvoiceRow {
  kind: InvoiceKind;
  consumptionTotal: string;
  grantsTotal: string;
  discountTotal: string;
  /** What the partner's rebate withdrawn to Bonus took off (its lines, as a positive amount). */
  rebateWithdrawn: string;
  payable: string;
  vatAmount: string;
}

export interface MoneyCount {
  count: number;
  total: string;
}

/**
 * Where a payout stands. The platform records a payout when it makes it and keeps no bank
 * confirmation, so the statuses say what the platform knows:
 * - `awaiting_bank_details`: nothing can be paid until valid bank details are given;
 * - `payable`: accrued, to be paid to the recorded bank account (commission statements: the
 *   platform records no payment of them);
 * - `paid`: taken off the partner's rebate balance and paid to the recorded bank account.
 */
export const PAYOUT_STATUSES = ['awaiting_bank_details', 'payable', 'paid'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** rebate_withdrawal: a withdrawal to the bank; commission: a referral statement; final_payout: on leaving. */
export const PAYOUT_KINDS = ['rebate_withdrawal', 'commission', 'final_payout'] as const;
export type PayoutKind = (typeof PAYOUT_KINDS)[number];

export interface FinanceMonthTotals {
  invoices: { count: number; monthly: number; interim: number; final: number };
  consumptionTotal: string;
  grantsTotal: string;
  discountTotal: string;
  rebateWithdrawn: string;
  payable: string;
  vatAmount: string;
  commission: MoneyCount;
  payouts: MoneyCount & { byStatus: Record<PayoutStatus, MoneyCount> };
}

const moneyCount = (amounts: readonly string[]): MoneyCount => ({
  count: amounts.length,
  total: formatMoney(sumMoney(amounts)),
});

/**
 * A month's totals: each figure is the sum of that column over the month's issued invoices
 * (monthly, interim and final alike — each bills its own consumption once), the commission
 * statements' totals and the payouts dated in the month.
 */
export function financeMonthTotals(input: {
  invoices: readonly FinanceInvoiceRow[];
  commissionTotals: readonly string[];
  payouts: readonly { status: PayoutStatus; amount: string }[];
}): FinanceMonthTotals {
  const column = (pick: (row: FinanceInvoiceRow) => string) =>
    formatMoney(sumMoney(input.invoices.map(pick)));
  const ofKind = (kind: InvoiceKind) => input.invoices.filter((i) => i.kind === kind).length;
  const byStatus = Object.fromEntries(
    PAYOUT_STATUSES.map((status) => [
      status,
      moneyCount(input.payouts.filter((p) => p.status === status).map((p) => p.amount)),
    ]),
  ) as Record<PayoutStatus, MoneyCount>;
  return {
    invoices: {
      count: input.invoices.length,
      monthly: ofKind('monthly'),
      interim: ofKind('interim'),
      final: ofKind('final'),
    },
    consumptionTotal: column((i) => i.consumptionTotal),
    grantsTotal: column((i) => i.grantsTotal),
    discountTotal: column((i) => i.discountTotal),
    rebateWithdrawn: column((i) => i.rebateWithdrawn),
    payable: column((i) => i.payable),
    vatAmount: column((i) => i.vatAmount),
    commission: moneyCount(input.commissionTotals),
    payouts: { ...moneyCount(input.payouts.map((p) => p.amount)), byStatus },
  };
}

/** The rebate withdrawn to Bonus on an invoice: its withdrawal lines (negative) turned positive. */
export function rebateWithdrawnOf(lines: readonly { kind: string; amount: string }[]): string {
  const withdrawn = sumMoney(
    lines.filter((l) => l.kind === 'rebate_withdrawal').map((l) => l.amount),
  );
  return formatMoney(withdrawn.negated());
}

/** A withdrawal to the bank is recorded only with valid details and debited at once: paid. */
export const withdrawalPayoutStatus = (): PayoutStatus => 'paid';

/** A commission statement is payable to the account it recorded, if that is a valid destination. */
export function commissionPayoutStatus(payoutAccount: BankDetailsOnFile): PayoutStatus {
  return payoutDestination(payoutAccount).ok ? 'payable' : 'awaiting_bank_details';
}

/** A payout's register month: the Moscow month of the instant it was recorded or fell due. */
export const payoutMonth = (instant: string): string => monthInMoscow(instant);

export interface PayoutRow {
  kind: PayoutKind;
  status: PayoutStatus;
  month: string;
  /** Two decimals. */
  amount: string;
  /** When it was recorded (withdrawal, statement) or fell due (final payout), ISO. */
  at: string;
  reference: string;
}

/**
 * The register: filtered by status and month, newest first, then by reference. A zero amount
 * (a commission statement of a month without referred consumption) pays nothing and is left out.
 */
export function payoutRegister<T extends PayoutRow>(
  rows: readonly T[],
  filter: { status?: PayoutStatus; month?: string },
): T[] {
  return rows
    .filter((row) => !new Money(row.amount).isZero())
    .filter((row) => !filter.status || row.status === filter.status)
    .filter((row) => !filter.month || row.month === filter.month)
    .sort((a, b) =>
      a.at === b.at ? a.reference.localeCompare(b.reference) : a.at < b.at ? 1 : -1,
    );
}

/**
 * Money in a CSV for Russian Excel: a decimal comma and no grouping ("1234,50"), which
 * Excel with Russian regional settings reads as a number.
 */
export function csvMoney(amount: string): string {
  return new Money(amount).toFixed(2).replace('.', ',');
}
