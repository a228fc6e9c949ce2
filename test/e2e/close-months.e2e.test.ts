import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { previousMonthInMoscow, monthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import {
  MONTH_CLOSE_WORKFLOW_TYPE,
  monthCloseWorkflowId,
} from '../../workflows/month-close.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient } from '../support/fixtures';

/**
 * Issue #11: months are validated at the API, from the program's first month (2019-01 by
 * default) to the last full month in Moscow time, and the close and consumption reads never
 * answer 500 for a well-formed month. Nothing here starts a real close.
 */
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('months at the API (issue #11)', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('close-months') });
  const lastFull = previousMonthInMoscow(new Date().toISOString());
  const closable = `must be a month from 2019-01 (the program's first month) to ${lastFull} (the last full month in Moscow time)`;
  const tooEarly = "must be 2019-01 (the program's first month) or later";
  let api: RunningApi;
  let db: Database;
  let connection: Connection;
  let client: Client;
  const call = apiClient(() => api.url);
  const tokens = { finance: '', manager: '' };

  beforeAll(async () => {
    db = testDatabase();
    api = await startApi(config, { port: 0 });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const issuer = createTokenService(config.auth);
    tokens.finance = await issuer.issue({ subject: 'finance', role: 'finance' });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await connection?.close();
    await db?.$disconnect();
  });

  async function closeWorkflowExists(month: string): Promise<boolean> {
    try {
      await client.workflow.getHandle(monthCloseWorkflowId(month)).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  it.each([
    ['year zero (once a close that retried without end)', '0000-01'],
    ['the month before the program’s first', '2018-12'],
    ['the running month in Moscow time', monthInMoscow(new Date().toISOString())],
    ['a month far in the future', '9999-12'],
  ])('refuses to close %s with 422 naming the range, and starts nothing', async (_name, month) => {
    const res = await call<Problem>('POST', '/v1/closes', tokens.finance, { month });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toMatchObject([{ field: 'month', message: closable }]);
    expect(res.body.detail).toBe(`Month ${month} cannot be closed: the month ${closable}`);
    expect(await closeWorkflowExists(month)).toBe(false);
  });

  it('answers 400 for a malformed month', async () => {
    for (const month of ['2026-13', '2026-1', '26-01']) {
      const res = await call<Problem>('POST', '/v1/closes', tokens.finance, { month });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.field).toBe('body.month');
    }
    expect((await call('GET', '/v1/closes/2026-00', tokens.finance)).status).toBe(400);
  });

  it('refuses a close or the invoices of a month before the program’s first month with 422', async () => {
    for (const path of ['/v1/closes/0000-01', '/v1/closes/2018-12', '/v1/invoices?month=0000-01']) {
      const res = await call<Problem>('GET', path, tokens.finance);
      expect(res.status).toBe(422);
      expect(res.body.errors).toMatchObject([{ field: 'month', message: tooEarly }]);
    }
  });

  it('answers 404 for a well-formed month that was never closed, however far ahead', async () => {
    for (const month of ['2019-01', '9999-12', monthInMoscow(new Date().toISOString())]) {
      const res = await call<Problem>('GET', `/v1/closes/${month}`, tokens.manager);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Month ${month} has not been closed`);
    }
  });

  it('sums consumption of any well-formed month, year zero and 9999-12 included (never 500)', async () => {
    for (const month of ['0000-01', '0001-01', '1970-01', '9999-12']) {
      const res = await call('GET', `/v1/consumption/summary?month=${month}`, tokens.finance);
      expect({ month, status: res.status, body: res.body }).toEqual({
        month,
        status: 200,
        body: {
          billingAccountId: null,
          month,
          lines: 0,
          amount: '0.000000',
          grantAmount: '0.000000',
        },
      });
    }
    const unknown = await call(
      'GET',
      '/v1/consumption/summary?month=0000-01&billingAccountId=no-such-account',
      tokens.finance,
    );
    expect(unknown.status).toBe(404);
  });

  it('reports a close whose workflow has no query handler yet from the database, never 500', async () => {
    // A month of this test's own, far from the months other tests close.
    const month = '2019-03';
    const taskQueue = uniqueTaskQueue('close-no-query');
    const nativeConnection = await NativeConnection.connect({
      address: process.env.TEMPORAL_ADDRESS,
    });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../support/workflows/close-without-query.workflow'),
    });
    const workflowId = monthCloseWorkflowId(month);
    try {
      await worker.runUntil(async () => {
        const handle = await client.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
          taskQueue,
          workflowId,
          args: [{ month }],
          workflowIdConflictPolicy: 'TERMINATE_EXISTING',
        });
        try {
          // Started, but the month is not recorded yet: the close is reported as running.
          const starting = await call<Record<string, unknown>>(
            'GET',
            `/v1/closes/${month}`,
            tokens.finance,
          );
          expect(starting.status).toBe(200);
          expect(starting.body).toMatchObject({
            month,
            status: 'running',
            invoices: 0,
            completedAt: null,
            progress: null,
          });

          // The month is recorded as running; the workflow cannot answer the progress query.
          await db.monthClose.create({
            data: { month, status: 'running', watermark: 0n, previousWatermark: 0n },
          });
          const running = await call<Record<string, unknown>>(
            'GET',
            `/v1/closes/${month}`,
            tokens.finance,
          );
          expect(running.status).toBe(200);
          expect(running.body).toMatchObject({
            month,
            status: 'running',
            partnersTotal: 0,
            progress: null,
          });
        } finally {
          await handle.terminate('test over');
        }
      });
    } finally {
      await db.monthClose.deleteMany({ where: { month } });
      await nativeConnection.close();
    }
  });

  it('reports a close whose workflow has not taken its first task yet, never 500', async () => {
    const month = '2019-04';
    // No worker polls this task queue: the workflow never runs a task.
    const handle = await client.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
      taskQueue: uniqueTaskQueue('close-no-worker'),
      workflowId: monthCloseWorkflowId(month),
      args: [{ month }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    try {
      await db.monthClose.create({
        data: { month, status: 'running', watermark: 0n, previousWatermark: 0n },
      });
      const started = Date.now();
      const res = await call<Record<string, unknown>>('GET', `/v1/closes/${month}`, tokens.finance);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ month, status: 'running', progress: null });
      // The progress query waits for a worker that never comes: the answer does not.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await handle.terminate('test over');
      await db.monthClose.deleteMany({ where: { month } });
    }
  });
});
