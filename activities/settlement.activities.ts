import { ApplicationFailure, Context } from '@temporalio/activity';
import { formatMoney, sumMoney } from '../domain/money';
import {
  issuesMonthlyInvoice,
  LedgerOverlapError,
  recordedRanges,
  settleVarMonth,
} from '../domain/settlement';
import { isYearMonth } from '../domain/settlement/dates';
import { exitMonthOf } from '../domain/lifecycle';
import {
  CloseOrderError,
  type ClosePlan,
  type SettlementRepository,
} from '../prisma/repositories/settlement.repository';

/**
 * Failures that the same input would meet again: never retried, so the close stops visibly in
 * the Temporal UI with the reason instead of retrying without end.
 */
function nonRetryable(error: unknown): never {
  if (error instanceof CloseOrderError) {
    throw ApplicationFailure.nonRetryable(error.message, 'CloseOrderError', error.problem);
  }
  if (error instanceof LedgerOverlapError) {
    throw ApplicationFailure.nonRetryable(error.message, 'LedgerOverlapError');
  }
  throw error;
}

export interface SettlementActivityDeps {
  settlements: SettlementRepository;
  /** Counts the referral partners of a month for the close's progress. */
  countReferralPartners?: (month: string) => Promise<number>;
  /** The program's first month: no close before it. */
  programFirstMonth?: string;
  now?: () => Date;
}

export interface SettleBatchResult {
  settled: number;
  created: number;
  payableTotal: string;
}

export interface FinalSettlementResult {
  month?: string;
  invoice: { invoiceId: string; number: string; payable: string } | null;
  /** The month's invoice that already covered the partial month (the close came first). */
  coveredByMonthly?: string;
}

/**
 * The month-end close's side effects. Consumption is aggregated in SQL, the rules run in
 * the domain, and each partner-month's invoice is written once (a unique key in the
 * database), so a retried or repeated batch changes nothing.
 */
export function createSettlementActivities({
  settlements,
  countReferralPartners = () => Promise.resolve(0),
  programFirstMonth = '2019-01',
  now = () => new Date(),
}: SettlementActivityDeps) {
  return {
    async beginMonthClose(input: {
      month: string;
    }): Promise<ClosePlan & { partnersTotal: number; referralPartnersTotal: number }> {
      if (!isYearMonth(input.month) || input.month < programFirstMonth) {
        throw ApplicationFailure.nonRetryable(
          `${input.month} is not a month of the program (from ${programFirstMonth})`,
          'InvalidMonth',
        );
      }
      const plan = await settlements.beginClose(input.month).catch(nonRetryable);
      return {
        ...plan,
        partnersTotal: await settlements.countVarPartners(input.month),
        referralPartnersTotal: await countReferralPartners(input.month),
      };
    },

    async listClosePartners(input: {
      month: string;
      after: string | null;
      limit: number;
    }): Promise<string[]> {
      const partners = await settlements.varPartners(input.month, input.after, input.limit);
      return partners.map((p) => p.partnerId);
    },

    /** Settles a batch of partners, heart-beating after each so a crash resumes quickly. */
    async settlePartners(input: {
      plan: ClosePlan;
      partnerIds: string[];
    }): Promise<SettleBatchResult> {
      // A rerun of a completed close adds nothing: its invoices are issued, its late lines
      // belong to the next close.
      if (input.plan.status === 'completed')
        return { settled: 0, created: 0, payableTotal: '0.00' };
      let created = 0;
      let settled = 0;
      const payables: string[] = [];
      // The batch is read with a few queries and written in one transaction.
      const partners = await settlements.partnersForClose(input.partnerIds);
      const bases = await settlements.billingBases([...partners.keys()], input.plan.month);
      const inputs = await settlements.closeInputs([...partners.values()], input.plan, bases);
      const items: Parameters<SettlementRepository['issueMonthlyInvoices']>[0] = [];
      for (const partnerId of input.partnerIds) {
        const partner = partners.get(partnerId);
        const basis = bases.get(partnerId);
        const read = inputs.get(partnerId);
        if (!partner || !basis || !read) continue;
        settled += 1;
        const issue = issuesMonthlyInvoice({
          departed: partner.exitDate !== null,
          finalInvoiceIssued: basis.finalInvoiceId !== null,
          afterExitMonth:
            partner.exitDate !== null && input.plan.month > exitMonthOf(partner.exitDate),
          hasConsumption: read.input.days.length > 0 || read.input.adjustments.length > 0,
        });
        if (!issue) continue;
        items.push({
          partner,
          basis,
          settlement: settleVarMonth(read.input),
          ranges: recordedRanges(read.ranges, read.days),
        });
      }
      Context.current().heartbeat({ settled });
      // The batch's invoices are written in one transaction: all or none, each once.
      const issued = await settlements
        .issueMonthlyInvoices(items, input.plan, now())
        .catch(nonRetryable);
      for (const invoice of issued.values()) {
        if (invoice.created) created += 1;
        payables.push(invoice.payable);
      }
      return { settled, created, payableTotal: formatMoney(sumMoney(payables)) };
    },

    async recordCloseProgress(input: {
      month: string;
      settled: number;
      total: number;
    }): Promise<void> {
      await settlements.recordProgress(input.month, input.settled, input.total);
    },

    /** Issues an interim invoice when the partner's unbilled consumption reached its threshold. */
    async issueInterimInvoiceIfDue(input: {
      partnerId: string;
      month: string;
    }): Promise<{ invoiceId: string; number: string; payable: string } | null> {
      const invoice = await settlements
        .issueInterimInvoiceIfDue(input.partnerId, input.month, now(), settleVarMonth)
        .catch(nonRetryable);
      return invoice
        ? { invoiceId: invoice.invoiceId, number: invoice.number, payable: invoice.payable }
        : null;
    },

    /**
     * The final settlement of a partner who left or was revoked: the partial month's invoice
     * (VAR), unless the month's close already invoiced it. Idempotent.
     */
    async settleFinalMonth(input: { partnerId: string }): Promise<FinalSettlementResult> {
      const result = await settlements
        .issueFinalInvoice(input.partnerId, now(), settleVarMonth)
        .catch(nonRetryable);
      if (!result) return { invoice: null };
      if ('coveredBy' in result) {
        return { invoice: null, month: result.month, coveredByMonthly: result.coveredBy };
      }
      return {
        month: result.month,
        invoice: { invoiceId: result.invoiceId, number: result.number, payable: result.payable },
      };
    },

    /** Completes the close and records its reconciliation's difference (zero when sound). */
    async completeMonthClose(input: {
      month: string;
      measured?: { watermark: string; lines: number; amount: string };
    }): Promise<{ difference: string }> {
      return settlements.completeClose(input.month, now(), input.measured);
    },

    /** The month's billable lines up to the close's watermark, for its reconciliation. */
    async measureMonthConsumption(input: {
      month: string;
      watermark: string;
    }): Promise<{ watermark: string; lines: number; amount: string }> {
      return settlements.measureBillable(input.month, input.watermark);
    },

    /** The open months with consumption before `month`: what a scheduled close catches up. */
    async listOpenMonthsBefore(input: { month: string }): Promise<string[]> {
      return settlements.openMonthsBefore(input.month);
    },
  };
}

export type SettlementActivities = ReturnType<typeof createSettlementActivities>;
