import type { ProblemReason } from '../../../domain/problem-codes';
import {
  QueryNotRegisteredError,
  WorkflowNotFoundError,
  type WorkflowClient,
} from '@temporalio/client';
import type { Logger } from '../../../config/logger';
import {
  closableMonths,
  closeMonthProblem,
  reportMonthProblem,
} from '../../../domain/close-months';
import { DomainError } from '../../../domain/errors';
import { reconciliationDifference, settleVarMonth } from '../../../domain/settlement';
import type { VarSettlement } from '../../../domain/settlement/settle';
import { lineKindOf, lineParams, storedLineParams } from '../../../domain/settlement/line-codes';
import type { PreviewCache } from './preview-cache';
import { formatMoney } from '../../../domain/money';
import { monthInMoscow } from '../../../domain/settlement/periods';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type { SettlementRepository } from '../../../prisma/repositories/settlement.repository';
import {
  MONTH_CLOSE_WORKFLOW_TYPE,
  closeProgressQuery,
  monthCloseWorkflowId,
  type CloseProgress,
  type MonthCloseInput,
} from '../../../workflows/month-close.contracts';
import { assertOrganizationAccess, type Principal } from '../../http/auth';
import type { WorkflowUrl } from '../../http/temporal-links';

export interface SettlementServiceDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  settlements: SettlementRepository;
  partners: PartnerRepository;
  /** The program's first month (YYYY-MM): no month before it is closed or reported on. */
  programFirstMonth: string;
  /** Links to workflows in the Temporal Web UI; none when absent. */
  workflowUrl?: WorkflowUrl;
  now?: () => Date;
  logger?: Pick<Logger, 'warn'>;
  /** Running invoices kept between requests until what they are computed from changes. */
  previewCache?: PreviewCache<RunningInvoice>;
}

/** The running, unissued invoice of the current month, as `preview` answers it. */
export interface RunningInvoice {
  month: string;
  asOf: string;
  issued: false;
  totals: VarSettlement['totals'];
  vatRate: string;
  lines: (VarSettlement['lines'][number] & { params: Record<string, string> })[];
  rebateAccruals: VarSettlement['rebateAccruals'];
}

/**
 * How long a close's status waits for the workflow's live progress. A workflow that has not
 * run its first task (no worker free yet) leaves a query waiting; the row answers instead.
 */
const PROGRESS_QUERY_TIMEOUT_MS = 3_000;

/** A refused month, as a 422 naming the field and the allowed range. */
function monthRefused(detail: string, problem: string, reason: ProblemReason): DomainError {
  return new DomainError(
    'validation_failed',
    `${detail}: the month ${problem}`,
    [{ field: 'month', message: problem, code: 'month_not_allowed' }],
    reason,
  );
}

/** Month closes, invoices and the running invoice, as the API offers them. */
export function createSettlementService(deps: SettlementServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal) {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  function assertReportableMonth(month: string, detail: string): void {
    const problem = reportMonthProblem(month, deps.programFirstMonth);
    if (problem) {
      throw monthRefused(detail, problem, {
        reason: 'month_before_program',
        params: { month, from: deps.programFirstMonth },
      });
    }
  }

  /** The close workflow's progress, or null when it cannot answer now. */
  async function liveProgress(month: string): Promise<CloseProgress | null> {
    try {
      const handle = deps.workflows.getHandle(monthCloseWorkflowId(month));
      return await deps.workflows.withDeadline(Date.now() + PROGRESS_QUERY_TIMEOUT_MS, () =>
        handle.query(closeProgressQuery),
      );
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError)) {
        deps.logger?.warn(
          { err: error, month },
          'close progress query failed; answering from the database',
        );
      }
      return null;
    }
  }

  /** A close whose workflow runs but has not recorded the month yet; null when none runs. */
  async function startingClose(month: string) {
    let description;
    try {
      description = await deps.workflows.getHandle(monthCloseWorkflowId(month)).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      deps.logger?.warn({ err: error, month }, 'close workflow could not be described');
      throw new DomainError(
        'unavailable',
        `Month ${month} has no close recorded and Temporal cannot say whether one is starting; try again`,
        [],
        { reason: 'close_status_unknown', params: { month } },
      );
    }
    if (description.status.name !== 'RUNNING') return null;
    const zero = '0.00';
    return {
      month,
      status: 'running' as const,
      partnersTotal: 0,
      partnersSettled: 0,
      invoices: 0,
      consumptionTotal: zero,
      discountTotal: zero,
      payableTotal: zero,
      commissionStatements: 0,
      commissionTotal: zero,
      startedAt: description.startTime.toISOString(),
      completedAt: null,
      progress: null,
    };
  }

  return {
    /** Finance closes a month on demand; a close already running for it is joined. */
    async startClose(month: string): Promise<{ month: string; workflowId: string }> {
      const range = closableMonths(now().toISOString(), deps.programFirstMonth);
      const problem = closeMonthProblem(month, range);
      if (problem) {
        throw monthRefused(
          `Month ${month} cannot be closed`,
          problem,
          range.to < range.from
            ? { reason: 'no_month_closable', params: { from: range.from } }
            : { reason: 'month_out_of_range', params: { month, from: range.from, to: range.to } },
        );
      }
      // Months close in order: refused at once, before a workflow starts, naming the month
      // that must be closed first. (The workflow checks again: the order may change meanwhile.)
      const order = await deps.settlements.closeOrderProblem(month);
      if (order) {
        throw new DomainError(
          'conflict',
          order.message,
          [{ field: 'month', message: order.message, code: 'month_not_allowed' }],
          order.reason === 'earlier_month_open'
            ? { reason: 'close_out_of_order', params: { month: order.month } }
            : { reason: 'later_month_closed', params: { closedMonth: order.month, month } },
        );
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

    /**
     * A month's close from its database row, with the workflow's live progress while it runs.
     * The row is the truth: when the workflow cannot answer the query within a few seconds
     * (its handler is not registered yet, no worker has run it yet, it is gone, Temporal is
     * unreachable) the answer has no live progress.
     * A close started a moment ago whose workflow has not written the row yet is reported as
     * running, so the Location of POST /v1/closes never answers 404 for a close under way.
     */
    async closeStatus(month: string) {
      assertReportableMonth(month, `Month ${month} has no close`);
      const status = await deps.settlements.closeStatus(month);
      if (!status) {
        const starting = await startingClose(month);
        if (!starting)
          throw new DomainError('not_found', `Month ${month} has not been closed`, [], {
            reason: 'month_not_closed',
            params: { month },
          });
        return starting;
      }
      const progress = status.status === 'running' ? await liveProgress(month) : null;
      return { ...status, progress };
    },

    /**
     * Finance's reconciliation of a month: its billable consumption beside what every invoice
     * billed for it (its own invoices and later adjustments), and what waits for the next
     * close; the difference is exact and flagged when not zero.
     */
    async reconciliation(month: string) {
      assertReportableMonth(month, `Month ${month} cannot be reconciled`);
      const report = await deps.settlements.reconciliation(month);
      const { difference, lineDifference, flagged } = reconciliationDifference(report);
      return {
        ...report,
        difference,
        differenceRounded: formatMoney(difference),
        lineDifference,
        flagged: flagged || report.missingLines > 0,
      };
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
      assertReportableMonth(month, `Month ${month} has no invoices`);
      return { month, items: await deps.settlements.invoicesOfMonth(month) };
    },

    async myInvoices(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.settlements.invoicesOf(partner.id) };
    },

    async invoice(principal: Principal, id: string) {
      const invoice = await deps.settlements.invoiceWithLines(id);
      if (!invoice)
        throw new DomainError('not_found', `No invoice ${id}`, [], {
          reason: 'invoice_not_found',
          params: { invoiceId: id },
        });
      const partner = await deps.partners.findById(invoice.partnerId);
      if (partner) assertOrganizationAccess(principal, partner.organizationId);
      return {
        ...invoice,
        lines: invoice.lines.map((line) => ({
          ...line,
          kind: lineKindOf(line.kind),
          params: storedLineParams(line, invoice.month),
        })),
      };
    },

    /**
     * The running, unissued invoice of the current month: what the partner will pay so far,
     * computed by the same rules and the same SQL as the close.
     */
    async preview(principal: Principal) {
      const month = monthInMoscow(now().toISOString());
      const compute = async (): Promise<RunningInvoice> => {
        const asOf = now().toISOString();
        const partner = await partnerOf(principal);
        const closePartner = await deps.settlements.partnerForClose(partner.id);
        if (!closePartner)
          throw new DomainError('not_found', 'Your organization is not a partner', [], {
            reason: 'not_a_partner',
          });
        const plan = await deps.settlements.previewPlan(month);
        const input = await deps.settlements.settlementInput(closePartner, plan);
        const settlement = settleVarMonth(input);
        return {
          month,
          asOf,
          issued: false,
          totals: settlement.totals,
          vatRate: settlement.vatRate,
          lines: settlement.lines.map((line) => ({ ...line, params: lineParams(line, month) })),
          rebateAccruals: settlement.rebateAccruals,
        };
      };
      // Kept per organization and month, the partner's look-up included (the partner tables
      // announce their changes too); refusals are never kept. `asOf` is when the kept invoice
      // was computed: nothing it depends on changed since.
      return deps.previewCache
        ? deps.previewCache.get(`${principal.organizationId ?? ''}:${month}`, compute)
        : compute();
    },
  };
}

export type SettlementService = ReturnType<typeof createSettlementService>;
