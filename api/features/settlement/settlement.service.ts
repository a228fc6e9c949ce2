import { WorkflowNotFoundError, type WorkflowClient } from '@temporalio/client';
import { DomainError } from '../../../domain/errors';
import { settleVarMonth } from '../../../domain/settlement';
import { monthInMoscow } from '../../../domain/settlement/periods';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type { SettlementRepository } from '../../../prisma/repositories/settlement.repository';
import {
  MONTH_CLOSE_WORKFLOW_TYPE,
  closeProgressQuery,
  monthCloseWorkflowId,
  type MonthCloseInput,
} from '../../../workflows/contracts';
import { assertOrganizationAccess, type Principal } from '../../http/auth';
import type { WorkflowUrl } from '../../http/temporal-links';

export interface SettlementServiceDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  settlements: SettlementRepository;
  partners: PartnerRepository;
  /** Links to workflows in the Temporal Web UI; none when absent. */
  workflowUrl?: WorkflowUrl;
  now?: () => Date;
}

/** Month closes, invoices and the running invoice, as the API offers them. */
export function createSettlementService(deps: SettlementServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal) {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner) throw new DomainError('not_found', 'Your organization is not a partner');
    return partner;
  }

  return {
    /** Finance closes a month on demand; a close already running for it is joined. */
    async startClose(month: string): Promise<{ month: string; workflowId: string }> {
      if (month >= monthInMoscow(now().toISOString())) {
        throw new DomainError('validation_failed', 'Only a past month can be closed', [
          {
            field: 'month',
            message: `must be before the current month (${monthInMoscow(now().toISOString())})`,
          },
        ]);
      }
      const workflowId = monthCloseWorkflowId(month);
      const input: MonthCloseInput = { month };
      await deps.workflows.start(MONTH_CLOSE_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return { month, workflowId };
    },

    async closeStatus(month: string) {
      const status = await deps.settlements.closeStatus(month);
      if (!status) throw new DomainError('not_found', `Month ${month} has not been closed`);
      let live = null;
      if (status.status === 'running') {
        try {
          live = await deps.workflows
            .getHandle(monthCloseWorkflowId(month))
            .query(closeProgressQuery);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return { ...status, progress: live };
    },

    /** Every month closed or being closed, newest first, with the close's workflow. */
    async closes() {
      const rows = await deps.settlements.closes();
      return {
        items: rows.map((row) => ({
          ...row,
          workflowId: monthCloseWorkflowId(row.month),
          workflowUrl: deps.workflowUrl?.(monthCloseWorkflowId(row.month)) ?? null,
        })),
      };
    },

    /** A month's issued invoices, for finance: number, partner, kind and amounts. */
    async monthInvoices(month: string) {
      return { month, items: await deps.settlements.invoicesOfMonth(month) };
    },

    async myInvoices(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.settlements.invoicesOf(partner.id) };
    },

    async invoice(principal: Principal, id: string) {
      const invoice = await deps.settlements.invoiceWithLines(id);
      if (!invoice) throw new DomainError('not_found', `No invoice ${id}`);
      const partner = await deps.partners.findById(invoice.partnerId);
      if (partner) assertOrganizationAccess(principal, partner.organizationId);
      return invoice;
    },

    /**
     * The running, unissued invoice of the current month: what the partner will pay so far,
     * computed by the same rules and the same SQL as the close.
     */
    async preview(principal: Principal) {
      const partner = await partnerOf(principal);
      const month = monthInMoscow(now().toISOString());
      const closePartner = await deps.settlements.partnerForClose(partner.id);
      if (!closePartner) throw new DomainError('not_found', 'Your organization is not a partner');
      const plan = await deps.settlements.previewPlan(month);
      const settlement = settleVarMonth(await deps.settlements.settlementInput(closePartner, plan));
      return {
        month,
        asOf: now().toISOString(),
        issued: false,
        totals: settlement.totals,
        vatRate: settlement.vatRate,
        lines: settlement.lines,
        rebateAccruals: settlement.rebateAccruals,
      };
    },
  };
}

export type SettlementService = ReturnType<typeof createSettlementService>;
