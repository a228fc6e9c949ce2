import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import {
  MONTH_CLOSE_WORKFLOW_TYPE,
  type MonthCloseResult,
} from '../../workflows/month-close.contracts';
import { generateDemoMonth } from '../demo';
import { startWorkerProcess, type BenchInfra } from './infra';
import { BENCH_CODEC_KEYS, benchDataConverter } from './codec';

/** Lines the demo generator writes per partner for a 30-day month with 20 customers. */
export const LINES_PER_PARTNER = 1680;
const MONTH = '2026-10';

export interface CloseFigures {
  lines: number;
  partners: number;
  generateSeconds: number;
  /** (a) one SQL aggregate over the month's lines, grouped as the close needs them. */
  aggregateSeconds: number;
  groups: number;
  /** (b) the full close through Temporal: every invoice written. */
  closeSeconds: number;
  invoices: number;
  /** The month's reconciliation when the close completed: "0" when every line is billed. */
  reconciliationDifference: string | null;
  workerPeakMiB: number;
  /** The worker's peak before the close started: its own start (loading the compiled code). */
  workerStartMiB: number;
  /** Worker processes polling the close's task queue. */
  workers: number;
  /** Activities each worker process ran (most first), told apart by their identities. */
  activitiesByWorker: number[];
}

/**
 * Generates a month of `partners` × 20 customers × 30 days, then times (a) the raw aggregate
 * and (b) the close, on a fresh database and a fresh worker process.
 */
export async function benchClose(
  infra: BenchInfra,
  partners: number,
  workers = 1,
): Promise<CloseFigures> {
  await infra.resetDatabase();
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  try {
    let started = performance.now();
    await generateDemoMonth(client, { partners, customers: 20, days: 30, month: MONTH });
    await client.query('VACUUM ANALYZE consumption_lines');
    const generateSeconds = (performance.now() - started) / 1000;
    const lines = Number(
      (await client.query<{ n: string }>('SELECT count(*) AS n FROM consumption_lines')).rows[0]?.n,
    );

    // (a) The physical limit: read every line once and hand the (account, day) sums to the
    // client — the same grouping and sums the close computes, in one statement.
    started = performance.now();
    const aggregate = await client.query(
      `SELECT cl.billing_account_id, cl.usage_date,
              sum(cl.amount) AS amount, sum(cl.grant_amount) AS grants,
              sum(CASE WHEN coalesce(s.excluded_from_bonus, false) THEN 0 ELSE cl.amount - cl.grant_amount END) AS eligible
         FROM consumption_lines cl LEFT JOIN services s ON s.id = cl.service_id
        WHERE cl.usage_date >= $1::date AND cl.usage_date < ($1::date + interval '1 month')
        GROUP BY 1, 2`,
      [`${MONTH}-01`],
    );
    const aggregateSeconds = (performance.now() - started) / 1000;

    // (b) The close through Temporal, on a worker process of its own.
    const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
    const processes = await Promise.all(
      Array.from({ length: workers }, () =>
        startWorkerProcess(
          {
            DATABASE_URL: infra.databaseUrl,
            TEMPORAL_ADDRESS: infra.temporalAddress,
            TEMPORAL_CODEC_KEYS: BENCH_CODEC_KEYS,
            TEMPORAL_CODEC_KEY_ID: 'bench',
          },
          taskQueue,
        ),
      ),
    );
    const peak = () => Math.max(...processes.map((p) => p.peakMiB()));
    const connection = await Connection.connect({ address: infra.temporalAddress });
    try {
      const temporal = new Client({ connection, dataConverter: benchDataConverter });
      const workerStartMiB = peak();
      started = performance.now();
      const handle = await temporal.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: `bench-close-${taskQueue}`,
        args: [{ month: MONTH }],
      });
      const result = (await handle.result()) as MonthCloseResult;
      const closeSeconds = (performance.now() - started) / 1000;
      // Which worker process ran each activity: its identity on the started event.
      const byIdentity = new Map<string, number>();
      for (const event of (await handle.fetchHistory()).events ?? []) {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        if (identity) byIdentity.set(identity, (byIdentity.get(identity) ?? 0) + 1);
      }
      return {
        lines,
        partners,
        generateSeconds,
        aggregateSeconds,
        groups: aggregate.rowCount ?? 0,
        closeSeconds,
        invoices: result.invoicesCreated,
        reconciliationDifference: result.reconciliationDifference ?? null,
        workerPeakMiB: peak(),
        workerStartMiB,
        workers,
        activitiesByWorker: [...byIdentity.values()].sort((a, b) => b - a),
      };
    } finally {
      await connection.close();
      await Promise.all(processes.map((p) => p.stop()));
    }
  } finally {
    await client.end();
  }
}
