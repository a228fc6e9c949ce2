import type { Database } from '../client';
import { finalPayoutWithdrawalKey } from './payout.repository';

/**
 * What the finance console reads: a month's invoices with their partners and lines, its
 * commission statements, and the payouts to the bank (withdrawals, final payouts). Reads
 * only; the totals and statuses are `domain/finance.ts`'s.
 */

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export interface FinanceInvoiceRecord {
  id: string;
  number: string;
  partnerId: string;
  partnerName: string | null;
  partnerInn: string | null;
  month: string;
  kind: 'monthly' | 'interim' | 'final';
  sequence: number;
  issuedAt: string;
  dueDate: string | null;
  consumptionTotal: string;
  grantsTotal: string;
  eligibleBase: string;
  discountTotal: string;
  payable: string;
  vatRate: string;
  vatAmount: string;
  advanceCovered: string;
}

export interface FinanceLineRecord {
  invoiceId: string;
  invoiceNumber: string;
  position: number;
  kind: string;
  description: string;
  rule: string;
  rate: string | null;
  base: string | null;
  amount: string;
  accountId: string | null;
  dealId: string | null;
}

export interface PartnerRef {
  id: string;
  name: string;
  inn: string | null;
  status: string;
}

export function createFinanceRepository(db: Database) {
  async function partnersByIds(ids: Iterable<string>): Promise<Map<string, PartnerRef>> {
    const rows = await db.partner.findMany({
      where: { id: { in: [...new Set(ids)] } },
      select: { id: true, name: true, inn: true, status: true },
    });
    return new Map(rows.map((p) => [p.id, p]));
  }

  return {
    /** The month's issued invoices (every kind), by number, with their partner's name and INN. */
    async invoicesOfMonth(month: string): Promise<FinanceInvoiceRecord[]> {
      const rows = await db.invoice.findMany({ where: { month }, orderBy: { number: 'asc' } });
      const partners = await partnersByIds(rows.map((r) => r.partnerId));
      return rows.map((row) => {
        const partner = partners.get(row.partnerId);
        return {
          id: row.id,
          number: row.number,
          partnerId: row.partnerId,
          partnerName: partner?.name ?? null,
          partnerInn: partner?.inn ?? null,
          month: row.month,
          kind: row.kind,
          sequence: row.sequence,
          issuedAt: row.issuedAt.toISOString(),
          dueDate: row.dueDate ? isoDate(row.dueDate) : null,
          consumptionTotal: row.consumptionTotal.toFixed(2),
          grantsTotal: row.grantsTotal.toFixed(2),
          eligibleBase: row.eligibleBase.toFixed(2),
          discountTotal: row.discountTotal.toFixed(2),
          payable: row.payable.toFixed(2),
          vatRate: row.vatRate.toString(),
          vatAmount: row.vatAmount.toFixed(2),
          advanceCovered: row.advanceCovered.toFixed(2),
        };
      });
    },

    /** Every line of the month's invoices, by invoice number and position. */
    async linesOfMonth(month: string): Promise<FinanceLineRecord[]> {
      const rows = await db.invoiceLine.findMany({
        where: { invoice: { month } },
        include: { invoice: { select: { number: true } } },
        orderBy: [{ invoice: { number: 'asc' } }, { position: 'asc' }],
      });
      return rows.map((l) => ({
        invoiceId: l.invoiceId,
        invoiceNumber: l.invoice.number,
        position: l.position,
        kind: l.kind,
        description: l.description,
        rule: l.rule,
        rate: l.rate?.toString() ?? null,
        base: l.base?.toFixed(2) ?? null,
        amount: l.amount.toFixed(2),
        accountId: l.accountId,
        dealId: l.dealId,
      }));
    },

    /** The month's commission statements (monthly and final), with the account each pays to. */
    async statementsOfMonth(month?: string) {
      const rows = await db.commissionStatement.findMany({
        where: month ? { month } : {},
        orderBy: [{ month: 'desc' }, { number: 'asc' }],
      });
      const partners = await partnersByIds(rows.map((r) => r.partnerId));
      return rows.map((row) => ({
        id: row.id,
        number: row.number,
        partner: partners.get(row.partnerId) ?? null,
        partnerId: row.partnerId,
        month: row.month,
        kind: row.kind,
        issuedAt: row.issuedAt.toISOString(),
        total: row.total.toFixed(2),
        bankBik: row.payoutBik,
        bankAccount: row.payoutAcct,
      }));
    },

    /**
     * Withdrawals from the rebate balance to the bank asked for by partners (a final payout's
     * own withdrawal is left out: the final payout stands for it).
     */
    async bankWithdrawals() {
      const rows = await db.withdrawal.findMany({
        where: { target: 'bank' },
        orderBy: { createdAt: 'desc' },
      });
      const own = rows.filter((r) => r.idempotencyKey !== finalPayoutWithdrawalKey(r.partnerId));
      const partners = await partnersByIds(own.map((r) => r.partnerId));
      return own.map((row) => ({
        id: row.id,
        partnerId: row.partnerId,
        partner: partners.get(row.partnerId) ?? null,
        amount: row.amount.toFixed(2),
        requestedBy: row.requestedBy,
        createdAt: row.createdAt.toISOString(),
        bankBik: row.bankBik,
        bankAccount: row.bankAccount,
      }));
    },

    /** Final payouts on leaving, with the bank details they were paid to (none while held). */
    async finalPayouts() {
      const rows = await db.finalPayout.findMany({ orderBy: { dueAt: 'desc' } });
      const withdrawalIds = rows.flatMap((r) => (r.withdrawalId ? [r.withdrawalId] : []));
      const withdrawals = new Map(
        (await db.withdrawal.findMany({ where: { id: { in: withdrawalIds } } })).map((w) => [
          w.id,
          w,
        ]),
      );
      const partners = await partnersByIds(rows.map((r) => r.partnerId));
      return rows.map((row) => {
        const withdrawal = row.withdrawalId ? withdrawals.get(row.withdrawalId) : undefined;
        return {
          partnerId: row.partnerId,
          partner: partners.get(row.partnerId) ?? null,
          status: row.status,
          amount: row.amount.toFixed(2),
          requestedBy: row.requestedBy,
          dueAt: row.dueAt.toISOString(),
          paidAt: row.paidAt?.toISOString() ?? null,
          bankBik: withdrawal?.bankBik ?? null,
          bankAccount: withdrawal?.bankAccount ?? null,
        };
      });
    },

    /** The month's close row, if the month was ever closed. */
    async closeOf(month: string) {
      const row = await db.monthClose.findUnique({ where: { month } });
      return row
        ? {
            status: row.status,
            startedAt: row.startedAt.toISOString(),
            completedAt: row.completedAt?.toISOString() ?? null,
          }
        : null;
    },
  };
}

export type FinanceRepository = ReturnType<typeof createFinanceRepository>;
