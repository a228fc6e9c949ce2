import archiver from 'archiver';
import type { Readable } from 'node:stream';
import { reportMonthProblem } from '../../../domain/close-months';
import { DomainError } from '../../../domain/errors';
import {
  commissionPayoutStatus,
  financeMonthTotals,
  payoutMonth,
  payoutRegister,
  rebateWithdrawnOf,
  withdrawalPayoutStatus,
  type PayoutKind,
  type PayoutStatus,
} from '../../../domain/finance';
import { DOCUMENT_KINDS } from '../../../documents/render';
import type { FinanceRepository } from '../../../prisma/repositories/finance.repository';
import type { Principal } from '../../http/auth';
import type { DocumentService } from '../documents/documents.service';
import type { InvoiceExportRow, PayoutExportRow } from './finance.export';

export interface FinanceServiceDeps {
  finance: FinanceRepository;
  /** The documents of an invoice, rendered as the documents routes render them. */
  documents: Pick<DocumentService, 'pdf'>;
  programFirstMonth: string;
}

export interface PayoutItem extends PayoutExportRow {
  kind: PayoutKind;
  status: PayoutStatus;
  partnerId: string;
  /** What the partner was asked for, or why it was made: exit, revocation, a user id… */
  requestedBy: string | null;
  paidAt: string | null;
}

/** A file name part for the zip: invoice numbers are ours, but keep it to [A-Za-z0-9._-]. */
const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** The finance console (issue 14): month totals, invoices, exports, documents, payouts. */
export function createFinanceService(deps: FinanceServiceDeps) {
  function assertMonth(month: string): void {
    const problem = reportMonthProblem(month, deps.programFirstMonth);
    if (problem) {
      throw new DomainError(
        'validation_failed',
        `The month ${problem}`,
        [{ field: 'month', message: problem, code: 'month_not_allowed' }],
        { reason: 'month_before_program', params: { month, from: deps.programFirstMonth } },
      );
    }
  }

  /** The month's invoices with what their rebate withdrawal lines took off. */
  async function invoiceRows(month: string): Promise<InvoiceExportRow[]> {
    const [invoices, lines] = await Promise.all([
      deps.finance.invoicesOfMonth(month),
      deps.finance.linesOfMonth(month),
    ]);
    const linesOf = new Map<string, typeof lines>();
    for (const line of lines)
      linesOf.set(line.invoiceId, [...(linesOf.get(line.invoiceId) ?? []), line]);
    return invoices.map((invoice) => ({
      ...invoice,
      rebateWithdrawn: rebateWithdrawnOf(linesOf.get(invoice.id) ?? []),
    }));
  }

  /** Every payout to the bank the platform knows of, with its status (see domain/finance). */
  async function allPayouts(): Promise<PayoutItem[]> {
    const [withdrawals, statements, finals] = await Promise.all([
      deps.finance.bankWithdrawals(),
      deps.finance.statementsOfMonth(),
      deps.finance.finalPayouts(),
    ]);
    return [
      ...withdrawals.map((w): PayoutItem => ({
        kind: 'rebate_withdrawal',
        status: withdrawalPayoutStatus(),
        month: payoutMonth(w.createdAt),
        partnerId: w.partnerId,
        partnerName: w.partner?.name ?? null,
        partnerInn: w.partner?.inn ?? null,
        amount: w.amount,
        at: w.createdAt,
        paidAt: w.createdAt,
        reference: w.id,
        requestedBy: w.requestedBy,
        bankBik: w.bankBik,
        bankAccount: w.bankAccount,
      })),
      ...statements.map((s): PayoutItem => ({
        kind: 'commission',
        status: commissionPayoutStatus({ bik: s.bankBik, account: s.bankAccount }),
        month: s.month,
        partnerId: s.partnerId,
        partnerName: s.partner?.name ?? null,
        partnerInn: s.partner?.inn ?? null,
        amount: s.total,
        at: s.issuedAt,
        paidAt: null,
        reference: s.number,
        requestedBy: null,
        bankBik: s.bankBik,
        bankAccount: s.bankAccount,
      })),
      ...finals.map((f): PayoutItem => ({
        kind: 'final_payout',
        status: f.status,
        month: payoutMonth(f.dueAt),
        partnerId: f.partnerId,
        partnerName: f.partner?.name ?? null,
        partnerInn: f.partner?.inn ?? null,
        amount: f.amount,
        at: f.dueAt,
        paidAt: f.paidAt,
        reference: `final-payout:${f.partnerId}`,
        requestedBy: f.requestedBy,
        bankBik: f.bankBik,
        bankAccount: f.bankAccount,
      })),
    ];
  }

  return {
    async month(month: string) {
      assertMonth(month);
      const [close, invoices, statements, payouts] = await Promise.all([
        deps.finance.closeOf(month),
        invoiceRows(month),
        deps.finance.statementsOfMonth(month),
        allPayouts(),
      ]);
      const monthPayouts = payoutRegister(payouts, { month });
      return {
        month,
        close,
        totals: financeMonthTotals({
          invoices,
          commissionTotals: statements.map((s) => s.total),
          payouts: monthPayouts,
        }),
      };
    },

    async invoices(month: string) {
      assertMonth(month);
      return { month, items: await invoiceRows(month) };
    },

    async exportRows(month: string) {
      assertMonth(month);
      const [invoices, lines] = await Promise.all([
        invoiceRows(month),
        deps.finance.linesOfMonth(month),
      ]);
      return { invoices, lines };
    },

    async payouts(filter: { status?: PayoutStatus; month?: string }) {
      return { items: payoutRegister(await allPayouts(), filter) };
    },

    /**
     * Every document of the month's invoices as a zip, `<invoice number>/<document>.pdf`,
     * streamed: each PDF is rendered (by the documents service) just before it is added, so
     * the month is never held in memory at once. An invoice the documents service refuses
     * (its lines do not add up, or it has no documents) gets a short text file saying why.
     */
    async documentsZip(principal: Principal, month: string): Promise<Readable> {
      assertMonth(month);
      const invoices = await deps.finance.invoicesOfMonth(month);
      const archive = archiver('zip', { zlib: { level: 6 } });
      const fill = async () => {
        for (const invoice of invoices) {
          const folder = safeName(invoice.number);
          for (const kind of DOCUMENT_KINDS) {
            try {
              const pdf = await deps.documents.pdf(principal, invoice.id, kind);
              archive.append(pdf.body, { name: `${folder}/${kind}.pdf` });
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              archive.append(`${error.message}\n`, { name: `${folder}/${kind}.txt` });
            }
          }
        }
        await archive.finalize();
      };
      fill().catch((error: unknown) => archive.destroy(error as Error));
      return archive;
    },
  };
}

export type FinanceService = ReturnType<typeof createFinanceService>;
