import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SettlementActivities } from '../activities/settlement.activities';
import { previousMonthInMoscow } from '../domain/settlement/periods';
import {
  closeProgressQuery,
  type CloseProgress,
  type MonthCloseInput,
  type MonthCloseResult,
} from './contracts';

const { beginMonthClose, listClosePartners, recordCloseProgress, completeMonthClose } =
  proxyActivities<SettlementActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

const { settlePartners } = proxyActivities<SettlementActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Partners per activity call, and activity calls in flight at once. */
const BATCH_SIZE = 25;
const CONCURRENCY = 4;
/** Partners listed per page; the workflow continues as new between pages when history grows. */
const PAGE_SIZE = 500;

/**
 * The VAR month-end close (SPEC §2): settles every VAR partner of the month exactly once.
 * The month is an input — or, for a run fired by the schedule, the month before the
 * scheduled time in Moscow — never "now". Reruns are harmless: the watermark is fixed by
 * the first run and each invoice is unique per partner-month in the database.
 */
export async function monthCloseWorkflow(input: MonthCloseInput = {}): Promise<MonthCloseResult> {
  const month = input.month ?? scheduledMonth();
  const plan = await beginMonthClose({ month });
  const progress: CloseProgress = {
    month,
    status: 'running',
    partnersTotal: plan.partnersTotal,
    partnersSettled: input.resume?.settled ?? 0,
    invoicesCreated: input.resume?.created ?? 0,
  };
  setHandler(closeProgressQuery, () => progress);

  let cursor = input.resume?.cursor ?? null;
  for (;;) {
    const page = await listClosePartners({ month, after: cursor, limit: PAGE_SIZE });
    if (page.length === 0) break;
    const batches: string[][] = [];
    for (let i = 0; i < page.length; i += BATCH_SIZE) batches.push(page.slice(i, i + BATCH_SIZE));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as string[];
        const result = await settlePartners({ plan, partnerIds: batch });
        progress.partnersSettled += result.settled;
        progress.invoicesCreated += result.created;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
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
        resume: { cursor, settled: progress.partnersSettled, created: progress.invoicesCreated },
      });
    }
  }
  await completeMonthClose({ month });
  progress.status = 'completed';
  return {
    month,
    partnersSettled: progress.partnersSettled,
    invoicesCreated: progress.invoicesCreated,
  };
}

/** For a run started by the schedule: the month before its scheduled time, in Moscow. */
function scheduledMonth(): string {
  const attributes = workflowInfo().searchAttributes as Record<string, unknown[] | undefined>;
  const scheduled = attributes?.TemporalScheduledStartTime?.[0];
  const at =
    scheduled instanceof Date
      ? scheduled
      : typeof scheduled === 'string'
        ? new Date(scheduled)
        : workflowInfo().startTime;
  return previousMonthInMoscow(at.toISOString());
}
