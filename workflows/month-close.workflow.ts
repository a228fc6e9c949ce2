import {
  ParentClosePolicy,
  continueAsNew,
  executeChild,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ReferralActivities } from '../activities/referral.activities';
import type { SettlementActivities } from '../activities/settlement.activities';
import { catchUpMonths } from '../domain/settlement/billing';
import { previousMonthInMoscow } from '../domain/settlement/periods';
import {
  CLOSE_NON_RETRYABLE_ERRORS,
  closeProgressQuery,
  type CloseProgress,
  type ClosePhase,
  type MonthCloseInput,
  type MonthCloseResult,
  monthCloseWorkflowId,
} from './month-close.contracts';
import { BILLING_MONTH, TEMPORAL_SCHEDULED_START_TIME } from './search-attributes';

type CloseActivities = SettlementActivities & ReferralActivities;

const {
  beginMonthClose,
  listClosePartners,
  listReferralPartners,
  listOpenMonthsBefore,
  recordCloseProgress,
  completeMonthClose,
} = proxyActivities<CloseActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: CLOSE_NON_RETRYABLE_ERRORS,
  },
});

/** One long read of the month's lines, alongside the settling: no heartbeats. */
const { measureMonthConsumption } = proxyActivities<CloseActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const { settlePartners, settleReferralPartners } = proxyActivities<CloseActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: CLOSE_NON_RETRYABLE_ERRORS,
  },
});

/** Partners per activity call, and activity calls in flight at once. */
const BATCH_SIZE = 25;
const CONCURRENCY = 4;
/** Partners listed per page; the workflow continues as new between pages when history grows. */
const PAGE_SIZE = 500;
/** Scheduled runs close the earlier open months first (added with the billing ledger). */
export const CATCH_UP_PATCH = 'close-catches-up-in-order';
/** The reconciliation's read of the month runs while the partners are settled. */
export const MEASURE_WHILE_SETTLING_PATCH = 'close-measures-while-settling';
/**
 * Release 2: a run the schedule starts closes each month as a child with the id of a manual
 * close (`month-close:<YYYY-MM>`), so progress and links work the same for both; every close
 * is findable by its month (BillingMonth).
 */
export const CLOSE_AS_MONTH_ID_PATCH = 'close-runs-as-month-close-id';

/**
 * The month-end close (SPEC §2, §3): invoices every VAR partner of the month exactly once,
 * then accrues every referral partner's commission statement. The month is an input — or,
 * for a run fired by the schedule, the month before the scheduled time in Moscow — never
 * "now". Months close in order: a scheduled run first closes every earlier month that has
 * consumption and no close. Reruns are harmless: the watermark is fixed by the first run and
 * each invoice and statement is unique per partner-month in the database.
 */
export async function monthCloseWorkflow(input: MonthCloseInput = {}): Promise<MonthCloseResult> {
  // The progress query answers from the first moment, before anything is awaited.
  const progress: CloseProgress = {
    month: input.month ?? input.catchUpTo ?? '',
    status: 'running',
    phase: input.resume?.phase ?? 'var',
    partnersTotal: 0,
    partnersSettled: input.resume?.settled ?? 0,
    invoicesCreated: input.resume?.created ?? 0,
    referralPartnersTotal: 0,
    referralPartnersSettled: input.resume?.referralSettled ?? 0,
    statementsCreated: input.resume?.statementsCreated ?? 0,
  };
  setHandler(closeProgressQuery, () => progress);

  const scheduled = input.month === undefined;
  const target = input.catchUpTo ?? input.month ?? scheduledMonth();
  progress.month = input.month ?? target;
  if (patched(CLOSE_AS_MONTH_ID_PATCH)) {
    upsertSearchAttributes([{ key: BILLING_MONTH, value: input.month ?? target }]);
    if (scheduled && input.catchUpTo === undefined) return closeMonthsInOrder(target, progress);
  }
  const catchUp = input.catchUpTo !== undefined || (scheduled && patched(CATCH_UP_PATCH));
  const caughtUp: string[] = [];
  let resume = input.resume;
  let month = input.month ?? target;
  for (;;) {
    if (catchUp && !resume) {
      const open = await listOpenMonthsBefore({ month: target });
      month = catchUpMonths(target, open)[0] as string;
    }
    const result = await closeMonth(month, resume);
    resume = undefined;
    if (month === target) return { ...result, ...(catchUp ? { caughtUp } : {}) };
    caughtUp.push(month);
  }

  async function closeMonth(
    month: string,
    resume: MonthCloseInput['resume'],
  ): Promise<MonthCloseResult> {
    const plan = await beginMonthClose({ month });
    const measuring =
      plan.status === 'running' && patched(MEASURE_WHILE_SETTLING_PATCH)
        ? measureMonthConsumption({ month, watermark: plan.watermark })
        : null;
    Object.assign(progress, {
      month,
      status: 'running',
      phase: resume?.phase ?? 'var',
      partnersTotal: plan.partnersTotal,
      partnersSettled: resume?.settled ?? 0,
      invoicesCreated: resume?.created ?? 0,
      referralPartnersTotal: plan.referralPartnersTotal,
      referralPartnersSettled: resume?.referralSettled ?? 0,
      statementsCreated: resume?.statementsCreated ?? 0,
    });

    const phases: ClosePhase[] = progress.phase === 'var' ? ['var', 'referral'] : ['referral'];
    let cursor = resume?.cursor ?? null;
    for (const phase of phases) {
      progress.phase = phase;
      for (;;) {
        const page =
          phase === 'var'
            ? await listClosePartners({ month, after: cursor, limit: PAGE_SIZE })
            : await listReferralPartners({ month, after: cursor, limit: PAGE_SIZE });
        if (page.length === 0) break;
        await settlePage(plan, phase, page);
        cursor = page[page.length - 1] as string;
        await recordCloseProgress({
          month,
          settled: progress.partnersSettled,
          total: progress.partnersTotal,
        });
        if (page.length < PAGE_SIZE) break;
        if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 10_000) {
          await continueAsNew<typeof monthCloseWorkflow>({
            month,
            ...(catchUp && month !== target ? { catchUpTo: target } : {}),
            resume: {
              phase,
              cursor,
              settled: progress.partnersSettled,
              created: progress.invoicesCreated,
              referralSettled: progress.referralPartnersSettled,
              statementsCreated: progress.statementsCreated,
            },
          });
        }
      }
      cursor = null;
    }
    const measured = measuring ? await measuring : undefined;
    const completed = await completeMonthClose({ month, ...(measured ? { measured } : {}) });
    progress.status = 'completed';
    return {
      month,
      partnersSettled: progress.partnersSettled,
      invoicesCreated: progress.invoicesCreated,
      referralPartnersSettled: progress.referralPartnersSettled,
      statementsCreated: progress.statementsCreated,
      ...(completed ? { reconciliationDifference: completed.difference } : {}),
    };
  }

  /** Settles one page of partners in batches, a few batches at a time. */
  async function settlePage(
    plan: Awaited<ReturnType<typeof beginMonthClose>>,
    phase: ClosePhase,
    page: string[],
  ): Promise<void> {
    const batches: string[][] = [];
    for (let i = 0; i < page.length; i += BATCH_SIZE) batches.push(page.slice(i, i + BATCH_SIZE));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const partnerIds = batches[next++] as string[];
        if (phase === 'var') {
          const result = await settlePartners({ plan, partnerIds });
          progress.partnersSettled += result.settled;
          progress.invoicesCreated += result.created;
        } else {
          const result = await settleReferralPartners({ plan, partnerIds });
          progress.referralPartnersSettled += result.settled;
          progress.statementsCreated += result.created;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
  }
}

/** For a run started by the schedule: the month before its scheduled time, in Moscow. */
function scheduledMonth(): string {
  const scheduled = workflowInfo().typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
  const at = scheduled ?? workflowInfo().startTime;
  return previousMonthInMoscow(at.toISOString());
}

/** How long a scheduled run waits before trying again when a month's close is running. */
const BUSY_CLOSE_RETRY = '1 minute';

/**
 * A scheduled run (release 2): closes every earlier open month, then `target`, each as a
 * child run `month-close:<YYYY-MM>` exactly like a manual close. A close of the same month
 * already running (started by hand) is waited for, then run again: a rerun adds nothing.
 */
async function closeMonthsInOrder(
  target: string,
  progress: CloseProgress,
): Promise<MonthCloseResult> {
  const open = await listOpenMonthsBefore({ month: target });
  const months = catchUpMonths(target, open);
  const caughtUp: string[] = [];
  for (const month of months) {
    progress.month = month;
    const result = await closeAsChild(month);
    if (month === target) {
      progress.status = 'completed';
      return { ...result, caughtUp };
    }
    caughtUp.push(month);
  }
  throw new Error(`catch-up months ${months.join(', ')} do not end with ${target}`);
}

async function closeAsChild(month: string): Promise<MonthCloseResult> {
  for (;;) {
    try {
      return await executeChild(monthCloseWorkflow, {
        workflowId: monthCloseWorkflowId(month),
        args: [{ month }],
        // The close finishes on its own, like a manual one, if this run is ended.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      await sleep(BUSY_CLOSE_RETRY);
    }
  }
}
