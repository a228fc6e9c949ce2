import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { settleVarMonth } from '../../domain/settlement';
import { createDatabase, type Database } from '../../prisma/client';
import { migrate } from '../../prisma/migrator';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { generateDemoMonth } from '../../scripts/demo';
import { localDir } from '../../scripts/infra/paths';
import { startPostgres, type LocalPostgres } from '../../scripts/infra/postgres';
import { ensureDatabase } from '../../scripts/infra/database';
import { freePort } from '../../scripts/infra/process';
import { startWorker, type RunningWorker } from '../../worker/worker';
import {
  MONTH_CLOSE_WORKFLOW_TYPE,
  type MonthCloseResult,
} from '../../workflows/month-close.contracts';
import { testConfig, uniqueTaskQueue } from '../support/env';

/**
 * PostgreSQL stops in the middle of a close and comes back: the activities fail, Temporal
 * retries them, and the close completes with one correct invoice per partner. A cluster of
 * this test's own, since it is stopped on purpose.
 */
describe('a PostgreSQL restart during the close', () => {
  const PARTNERS = 150;
  const MONTH = '2026-08';
  const home = path.join(localDir, 'test-postgres', `fault-restart-${process.pid}`);
  let port: number;
  let postgres: LocalPostgres;
  let url: string;
  let worker: RunningWorker;

  beforeAll(async () => {
    port = await freePort();
    postgres = await startPostgres({ home, port });
    url = postgres.url('partner_fault');
    await ensureDatabase(url);
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await generateDemoMonth(client, { partners: PARTNERS, customers: 10, days: 30, month: MONTH });
    await client.end();
    const base = testConfig({ taskQueue: uniqueTaskQueue('fault-pg') });
    worker = await startWorker({ ...base, databaseUrl: url }, { schedules: false });
  }, 180_000);

  afterAll(async () => {
    await worker?.shutdown();
    await postgres?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  async function invoiceCount(): Promise<number> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined); // PostgreSQL going away is the point of this test
    try {
      await client.connect();
      const row = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM invoices WHERE month = $1',
        [MONTH],
      );
      return Number(row.rows[0]?.n ?? 0);
    } catch {
      return -1;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  it('completes after retries, every invoice once and as the rules give it', async () => {
    const config = testConfig();
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const handle = await client.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
        taskQueue: worker.worker.options.taskQueue,
        workflowId: `fault-pg-${process.pid}-${Date.now()}`,
        args: [{ month: MONTH }],
      });
      let before = 0;
      for (let i = 0; i < 600 && before < 10; i++) {
        before = await invoiceCount();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(before).toBeGreaterThan(0);
      await postgres.stop();
      await new Promise((r) => setTimeout(r, 3000));
      postgres = await startPostgres({ home, port });
      const result = (await handle.result()) as MonthCloseResult;
      expect(result.month).toBe(MONTH);
      expect(before).toBeLessThan(PARTNERS); // it really stopped in the middle
    } finally {
      await connection.close();
    }

    const db: Database = createDatabase(url, { poolSize: 2 });
    try {
      const invoices = await db.invoice.findMany({ where: { month: MONTH } });
      expect(invoices).toHaveLength(PARTNERS);
      expect(new Set(invoices.map((i) => i.partnerId)).size).toBe(PARTNERS);
      const settlements = createSettlementRepository(db);
      const plan = await settlements.beginClose(MONTH);
      for (const invoice of invoices.slice(0, 30)) {
        const partner = await settlements.partnerForClose(invoice.partnerId);
        const expected = settleVarMonth(await settlements.settlementInput(partner!, plan));
        expect(invoice.payable.toFixed(2)).toBe(expected.totals.payable);
      }
    } finally {
      await db.$disconnect();
    }
  }, 240_000);
});
