import { Context } from '@temporalio/activity';
import { formatMoney, sumMoney } from '../domain/money';
import { settleVarMonth } from '../domain/settlement';
import type { ClosePlan, SettlementRepository } from '../prisma/repositories/settlement.repository';

export interface SettlementActivityDeps {
  settlements: SettlementRepository;
  now?: () => Date;
}

export interface SettleBatchResult {
  settled: number;
  created: number;
  payableTotal: string;
}

/**
 * The month-end close's side effects. Consumption is aggregated in SQL, the rules run in
 * the domain, and each partner-month's invoice is written once (a unique key in the
 * database), so a retried or repeated batch changes nothing.
 */
export function createSettlementActivities({
  settlements,
  now = () => new Date(),
}: SettlementActivityDeps) {
  return {
    async beginMonthClose(input: {
      month: string;
    }): Promise<ClosePlan & { partnersTotal: number }> {
      const plan = await settlements.beginClose(input.month);
      return { ...plan, partnersTotal: await settlements.countVarPartners(input.month) };
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
      let created = 0;
      let settled = 0;
      const payables: string[] = [];
      for (const partnerId of input.partnerIds) {
        const partner = await settlements.partnerForClose(partnerId);
        if (!partner) continue;
        const settlement = settleVarMonth(await settlements.settlementInput(partner, input.plan));
        const invoice = await settlements.issueMonthlyInvoice(
          partner,
          input.plan,
          settlement,
          now(),
        );
        settled += 1;
        if (invoice.created) created += 1;
        payables.push(invoice.payable);
        Context.current().heartbeat({ settled });
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
      const invoice = await settlements.issueInterimInvoiceIfDue(
        input.partnerId,
        input.month,
        now(),
        settleVarMonth,
      );
      return invoice
        ? { invoiceId: invoice.invoiceId, number: invoice.number, payable: invoice.payable }
        : null;
    },

    async completeMonthClose(input: { month: string }): Promise<void> {
      await settlements.completeClose(input.month, now());
    },
  };
}

export type SettlementActivities = ReturnType<typeof createSettlementActivities>;
