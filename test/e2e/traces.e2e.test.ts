import { spawn, type ChildProcess } from 'node:child_process';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../../api/http/auth';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/bundle';
import { testConfig, uniqueTaskQueue } from '../support/env';
import { prebuiltBundleFor } from '../support/workflow-bundles';

/**
 * The API and the worker run as `npm start` runs them (their own processes, tracing started by
 * their first import) and send spans by OTLP/HTTP to a collector this test plays, which reads
 * the JSON protocol. One application started through the API gives one trace from the HTTP
 * request to the PostgreSQL query of the workflow's first activity.
 */
const root = path.resolve(__dirname, '..', '..');

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: { key: string; value: OtlpValue }[];
      }[];
    }[];
  }[];
}

/** Ids arrive as hex in the JSON protocol; base64 is accepted too. */
function hexId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function attributes(list: { key: string; value: OtlpValue }[] = []): Record<string, unknown> {
  return Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );
}

/** A stand-in OTLP/HTTP collector: every span it receives, with the service that sent it. */
async function startCollector(): Promise<{ url: string; spans: Span[]; server: Server }> {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      const request = JSON.parse(body.toString('utf8')) as OtlpRequest;
      for (const resourceSpans of request.resourceSpans ?? []) {
        const service = String(attributes(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              parentSpanId: hexId(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              attributes: attributes(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, server };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('traces from the API through Temporal to PostgreSQL', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-traces') });
  const suffix = Math.random().toString(36).slice(2, 8);
  const children: ChildProcess[] = [];
  const logs: Record<string, unknown>[] = [];
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let apiUrl: string;
  let token: string;

  function startProcess(entry: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: {
        ...process.env,
        TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
        WORKER_SCHEDULES: 'false',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        // Spans leave every 100 ms instead of every 5 s, so the test need not wait.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) =>
      process.stderr.write(`[${entry} ${child.pid}] ${chunk.toString()}`),
    );
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    collector = await startCollector();
    // The worker loads the same pre-built bundle (with the tracing interceptors) as a
    // production image would from WORKFLOW_BUNDLE_PATH; without one it bundles at start.
    const bundle = prebuiltBundleFor({
      workflowsPath: WORKFLOWS_PATH,
      interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
    });
    startProcess('worker/main.ts', bundle ? { WORKFLOW_BUNDLE_PATH: bundle } : {});
    const port = await freePort();
    startProcess('api/main.ts', { PORT: String(port) });
    apiUrl = `http://localhost:${port}`;
    await until('the worker and the API to start', () =>
      logs.some((l) => l.msg === 'worker started') && logs.some((l) => l.msg === 'API listening')
        ? true
        : undefined,
    );
    const anna = DEVELOPMENT_PRINCIPALS.find((p) => p.subject === 'user-anna');
    if (!anna) throw new Error('no development principal user-anna');
    token = await createTokenService(config.auth).issue({
      ...anna,
      organizationId: `${anna.organizationId}-traces-${suffix}`,
    });
  }, 180_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await new Promise((resolve) => collector?.server.close(resolve));
  }, 60_000);

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('follows one application start as one trace, and links its log lines to it', async () => {
    const created = await post('/v1/applications', { identityMethod: 'new_id' });
    expect(created.status).toBe(201);
    const requestId = created.headers.get('x-request-id');
    const { applicationId } = (await created.json()) as { applicationId: string };

    // The HTTP server span of that request is the root of the trace.
    const server = await until('the API request span', () =>
      collector.spans.find(
        (s) =>
          s.service === 'partner-api' &&
          s.kind === 2 &&
          s.parentSpanId === '' &&
          s.attributes['http.method'] === 'POST' &&
          s.attributes['http.target'] === '/v1/applications',
      ),
    );
    expect(server.name).toBe('POST /v1/applications');
    const inTrace = () => collector.spans.filter((s) => s.traceId === server.traceId);
    const named = (pattern: RegExp, service: string) => () =>
      inTrace().find((s) => pattern.test(s.name) && s.service === service);

    // The API opens the application with update-with-start: the span is named by the update.
    const start = await until(
      'the client span',
      named(/^UpdateWithStartWorkflow:openApplication$/, 'partner-api'),
    );
    const run = await until(
      'the activity span',
      named(/^RunActivity:recordApplication$/, 'partner-worker'),
    );
    const query = await until('the activity query span', () =>
      inTrace().find(
        (s) =>
          s.service === 'partner-worker' &&
          s.name.startsWith('pg.query:INSERT') &&
          s.parentSpanId === run.spanId,
      ),
    );
    // The statement is recorded, the values bound to it (personal data) are not.
    expect(query.attributes).toMatchObject({ 'db.system': 'postgresql' });
    expect(String(query.attributes['db.statement'])).toMatch(/^INSERT INTO/i);
    expect(JSON.stringify(query.attributes)).not.toContain(`traces-${suffix}`);

    // A workflow's own span ends (and is sent) when the run ends: cancel the application.
    const cancelled = await post(`/v1/applications/${applicationId}/cancel`, {
      reason: 'tracing test',
    });
    expect(cancelled.status).toBe(200);
    const workflow = await until(
      'the workflow span',
      named(/^RunWorkflow:partnerOnboardingWorkflow$/, 'partner-worker'),
    );

    // One chain: request → client call → workflow run → … → activity → query.
    const byId = new Map(inTrace().map((s) => [s.spanId, s]));
    const ancestors = (span: { parentSpanId: string }): string[] => {
      const chain: string[] = [];
      for (let p = byId.get(span.parentSpanId); p; p = byId.get(p.parentSpanId)) {
        chain.push(p.name);
      }
      return chain;
    };
    expect(ancestors(start)).toContain(server.name);
    expect(ancestors(workflow)).toEqual(expect.arrayContaining([start.name, server.name]));
    expect(ancestors(query)).toEqual(
      expect.arrayContaining([run.name, workflow.name, start.name, server.name]),
    );

    // The API's request line carries both ids, so the log leads to the trace.
    const line = await until('the request log line', () =>
      logs.find((l) => l.msg === 'request' && l.requestId === requestId),
    );
    expect(line).toMatchObject({ trace_id: server.traceId });
    // And so does the worker's line for the activity.
    const activityLine = await until('the activity log line', () =>
      logs.find(
        (l) =>
          l.msg === 'activity completed' &&
          l.activityType === 'recordApplication' &&
          l.requestId === requestId,
      ),
    );
    expect(activityLine).toMatchObject({ trace_id: server.traceId });
    // And the workflow's own line (through the SDK's workflow logger).
    const workflowLine = logs.find(
      (l) => l.msg === 'workflow started' && l.requestId === requestId,
    );
    expect(workflowLine).toMatchObject({ trace_id: server.traceId });
  }, 120_000);

  it('keeps query strings (what a user searched for) out of the spans', async () => {
    const agent = `traces-test-${suffix}`;
    const res = await fetch(`${apiUrl}/openapi.json?search=anna%40example.com`, {
      headers: { 'User-Agent': agent },
    });
    expect(res.status).toBe(200);
    const span = await until('the request span', () =>
      collector.spans.find(
        (s) => s.service === 'partner-api' && s.attributes['http.user_agent'] === agent,
      ),
    );
    expect(span.name).toBe('GET /openapi.json');
    expect(span.attributes['http.target']).toBe('/openapi.json');
    expect(JSON.stringify(span.attributes)).not.toMatch(/anna|search=/);
  }, 60_000);
});
