import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Worker, NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { requestContext, requestIdClientInterceptor } from '../../api/http/request-context';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { activityLogInterceptors } from '../../worker/interceptors';
import { INTERIM_INVOICE_WORKFLOW_TYPE } from '../../workflows/interim-invoice.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

/** The operators' surface: Swagger UI, Prometheus metrics, request ids in the worker's logs. */
describe('operations', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('ops') });
  let api: RunningApi;
  let db: Database;

  beforeAll(async () => {
    db = testDatabase();
    api = await startApi(config, { port: 0 });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  it('serves Swagger UI for the OpenAPI document at /docs', async () => {
    const res = await fetch(`${api.url}/docs/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('swagger-ui');
    const init = await (await fetch(`${api.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('/v1/partners/me/referral-link');
  });

  it('exposes HTTP latency, applications, SLA breaches and closes to Prometheus', async () => {
    await fetch(`${api.url}/healthz`);
    await fetch(`${api.url}/v1/partners/me`); // 401
    // A completed close of a month no other test uses: 90 seconds, no lines. It is the
    // newest month, so the metrics' recent closes include it; and while it exists every
    // earlier date counts as closed (changes dated there are refused), so it is removed at
    // once after the scrape.
    const created = await db.monthClose.upsert({
      where: { month: '2099-12' },
      create: {
        month: '2099-12',
        status: 'completed',
        watermark: 0n,
        previousWatermark: 0n,
        startedAt: new Date('2100-01-01T00:00:00Z'),
        completedAt: new Date('2100-01-01T00:01:30Z'),
      },
      update: {},
    });
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${api.url}/metrics`);
      text = await res.text();
    } finally {
      await db.monthClose.delete({ where: { month: created.month } });
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /partner_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(text).toMatch(/partner_http_request_duration_seconds_count\{[^}]*status="401"\} \d+/);
    expect(text).toMatch(/^partner_review_sla_breaches \d+$/m);
    expect(text).toContain('partner_month_close_duration_seconds{month="2099-12"} 90');
    expect(text).toContain('partner_month_close_lines_settled{month="2099-12"} 0');
    expect(text).toContain('# TYPE partner_applications gauge');
  });

  it('carries the HTTP request id into the workflow and its activities’ logs', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const taskQueue = uniqueTaskQueue('ops-log');
    const nativeConnection = await NativeConnection.connect({
      address: process.env.TEMPORAL_ADDRESS,
    });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: process.env.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ db, config }),
      interceptors: {
        workflowModules: [require.resolve('../../workflows/interceptors')],
        activity: [activityLogInterceptors(logger)],
      },
    });
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const client = new Client({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE,
      interceptors: { workflow: [requestIdClientInterceptor] },
    });
    const requestId = `req-${randomUUID()}`;
    await worker.runUntil(async () => {
      const handle = await requestContext.run({ requestId }, () =>
        client.workflow.start(INTERIM_INVOICE_WORKFLOW_TYPE, {
          taskQueue,
          workflowId: `ops-${requestId}`,
          args: [{ partnerId: randomUUID(), month: '2099-12' }],
        }),
      );
      await handle.result();
    });
    await connection.close();
    await nativeConnection.close();
    const activity = lines.find((l) => l.msg === 'activity completed');
    expect(activity).toMatchObject({
      requestId,
      activityType: 'issueInterimInvoiceIfDue',
      workflowId: `ops-${requestId}`,
      attempt: 1,
    });
  });
});
