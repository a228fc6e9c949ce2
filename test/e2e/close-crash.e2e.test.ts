import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { settleVarMonth } from '../../domain/settlement';
import type { Database } from '../../prisma/client';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { generateDemoMonth } from '../../scripts/demo';
import { monthCloseWorkflowId, type MonthCloseResult } from '../../workflows/month-close.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

/**
 * A worker process killed with SIGKILL in the middle of a close, and a new one started:
 * the close completes with exactly one invoice per partner, each equal to what the rules
 * give for the partner — nothing lost, nothing doubled. Only this file uses June 2027.
 */
const MONTH = '2027-06';
const PARTNERS = 150;
const root = path.resolve(__dirname, '..', '..');

describe('a close that survives a killed worker', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('close-crash') });
  let db: Database;
  let pg: PgClient;
  let connection: Connection;
  let client: Client;
  const workers: ChildProcess[] = [];

  function startWorkerProcess(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
        WORKER_SCHEDULES: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) =>
      process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`),
    );
    workers.push(child);
    return child;
  }

  let demoPartners: string[] = [];

  /** Invoices of the demo partners (other files' partners may take part in the month too). */
  async function invoicesOfMonth(): Promise<number> {
    return db.invoice.count({ where: { month: MONTH, partnerId: { in: demoPartners } } });
  }

  beforeAll(async () => {
    db = testDatabase();
    pg = new PgClient({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    await generateDemoMonth(
      pg,
      { partners: PARTNERS, customers: 10, days: 30, month: MONTH },
      `${MONTH}-01`,
    );
    demoPartners = (
      await db.partner.findMany({
        where: { organizationId: { startsWith: 'org-demo-' } },
        select: { id: true },
      })
    ).map((p) => p.id);
    connection = await Connection.connect({ address: config.temporal.address as string });
    client = new Client({ connection, namespace: config.temporal.namespace });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await connection?.close();
    await pg?.end();
    await db?.$disconnect();
  });

  it('completes after kill -9 with one correct invoice per partner', async () => {
    const first = startWorkerProcess();
    const handle = await client.workflow.start('monthCloseWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: `${monthCloseWorkflowId(MONTH)}-crash`,
      args: [{ month: MONTH }],
    });
    let atKill = 0;
    for (let i = 0; i < 600 && atKill < 10; i++) {
      await new Promise((r) => setTimeout(r, 50));
      atKill = await invoicesOfMonth();
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    atKill = await invoicesOfMonth();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(PARTNERS); // it really died in the middle

    startWorkerProcess();
    const result = (await handle.result()) as MonthCloseResult;
    expect(result.month).toBe(MONTH);

    const invoices = await db.invoice.findMany({
      where: { month: MONTH, partnerId: { in: demoPartners } },
      include: { lines: true },
    });
    expect(invoices).toHaveLength(PARTNERS);
    expect(new Set(invoices.map((i) => i.partnerId)).size).toBe(PARTNERS);

    // Each invoice is exactly what the rules give for the partner at the close's watermark.
    const settlements = createSettlementRepository(db);
    const plan = await settlements.beginClose(MONTH);
    for (const invoice of invoices.slice(0, 40)) {
      const partner = await settlements.partnerForClose(invoice.partnerId);
      if (!partner) throw new Error('partner vanished');
      const expected = settleVarMonth(await settlements.settlementInput(partner, plan));
      expect(invoice.payable.toFixed(2)).toBe(expected.totals.payable);
      expect(invoice.lines).toHaveLength(expected.lines.length);
    }
    const lineCounts = await pg.query<{ total: string; distinct: string }>(
      `SELECT count(*) AS total, count(DISTINCT (invoice_id, position)) AS distinct
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.month = $1`,
      [MONTH],
    );
    expect(lineCounts.rows[0]?.distinct).toBe(lineCounts.rows[0]?.total);
  }, 180_000);
});
