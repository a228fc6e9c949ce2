import fs from 'node:fs';
import path from 'node:path';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { previousMonthInMoscow } from '../../domain/settlement/periods';
import { createDatabase } from '../../prisma/client';
import { migrate } from '../../prisma/migrator';
import { ensureDatabase } from '../../scripts/infra/database';
import { localDir } from '../../scripts/infra/paths';
import { startPostgres, type LocalPostgres } from '../../scripts/infra/postgres';
import { freePort } from '../../scripts/infra/process';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import { startTemporalDevServer, type DevServer } from '../../scripts/infra/temporal-dev-server';
import { startWorker } from '../../worker/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { testConfig, uniqueTaskQueue } from '../support/env';
import { createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * PostgreSQL stopped, then Temporal stopped, under a running API: every route family
 * answers within 2 s — an application's status from the database while Temporal is down,
 * otherwise 503 problem+json with Retry-After naming the dependency — and /healthz says
 * which one is failing without addresses or error text. A PostgreSQL cluster and a Temporal
 * dev server of this test's own, since they are stopped on purpose.
 */
describe('dependencies down: fast answers', () => {
  const BOUND_MS = 2_000;
  const home = path.join(localDir, 'test-postgres', `fault-deps-${process.pid}`);
  const suffix = Math.random().toString(36).slice(2, 8);
  const month = previousMonthInMoscow(new Date().toISOString());
  let postgres: LocalPostgres;
  let pgPort: number;
  let temporal: DevServer;
  let temporalPort: number;
  let api: RunningApi;
  let partner: PartnerFixture;
  let applicationId: string;
  /** The application as the workflow answered its last step, before anything stopped. */
  let applicationBefore: Record<string, unknown>;
  const tokens = { applicant: '', newcomer: '', partner: '', manager: '', finance: '' };
  const measured: { outage: string; route: string; status: number; ms: number }[] = [];

  beforeAll(async () => {
    pgPort = await freePort();
    postgres = await startPostgres({ home, port: pgPort });
    const url = postgres.url('partner_fault_deps');
    await ensureDatabase(url);
    await migrate(url);
    temporalPort = await freePort();
    temporal = await startTemporalDevServer({
      cli: await ensureTemporalCli(),
      port: temporalPort,
      namespace: 'default',
      logFile: path.join(localDir, 'logs', `fault-deps-temporal-${process.pid}.log`),
      searchAttributes: SEARCH_ATTRIBUTES,
    });
    const base = testConfig({
      taskQueue: uniqueTaskQueue('fault-deps'),
      address: temporal.address,
      namespace: 'default',
    });
    const config = { ...base, databaseUrl: url };

    const db = createDatabase(url, { poolSize: 2 });
    partner = await createPartner(db, {
      tag: `fault-deps-${suffix}`,
      name: 'ООО «Отказ»',
      memberSince: '2025-01-01',
    });
    await db.$disconnect();

    const issuer = createTokenService(config.auth);
    tokens.applicant = await issuer.issue({
      subject: 'user-anna',
      role: 'partner',
      organizationId: `org-fault-applicant-${suffix}`,
    });
    tokens.newcomer = await issuer.issue({
      subject: 'user-new',
      role: 'partner',
      organizationId: `org-fault-newcomer-${suffix}`,
    });
    tokens.partner = await issuer.issue({
      subject: 'user-partner',
      role: 'partner',
      organizationId: partner.organizationId,
    });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fin', role: 'finance' });

    // An application at its second step, made while everything runs; the worker stops
    // afterwards (nothing below needs it).
    const worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    try {
      const created = await call('POST', '/v1/applications', tokens.applicant, {
        identityMethod: 'new_id',
      });
      expect(created.status).toBe(201);
      applicationId = String(created.body.applicationId);
      const submitted = await call(
        'POST',
        `/v1/applications/${applicationId}/application`,
        tokens.applicant,
        {
          contact: { name: 'Anna Petrova', email: 'anna@example.com', phone: '+7 495 123-45-67' },
          company: { inn: FIXTURE_INN.active },
        },
      );
      expect(submitted.status).toBe(200);
      applicationBefore = submitted.body;
    } finally {
      await worker.shutdown();
    }
  }, 240_000);

  afterAll(async () => {
    if (measured.length) {
      const lines = measured.map(
        (m) =>
          `  ${m.outage.padEnd(10)} ${m.route.padEnd(44)} ${String(m.status).padEnd(4)} ${String(m.ms).padStart(5)} ms`,
      );
      process.stdout.write(`\nAnswers with a dependency down:\n${lines.join('\n')}\n`);
    }
    await api?.close().catch(() => undefined);
    await temporal?.stop();
    await postgres?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }, 60_000);

  async function call(
    method: string,
    route: string,
    token?: string,
    body?: unknown,
  ): Promise<{
    status: number;
    body: Record<string, unknown>;
    text: string;
    headers: Headers;
    ms: number;
  }> {
    const started = performance.now();
    const res = await fetch(`${api.url}${route}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const ms = Math.round(performance.now() - started);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON: the assertions below say so
    }
    return { status: res.status, body: parsed, text, headers: res.headers, ms };
  }

  interface Probe {
    route: string;
    method: string;
    path: () => string;
    token: () => string;
    body?: () => unknown;
  }

  /** One request per route family, each needing the database, Temporal or both. */
  const probes: Probe[] = [
    {
      route: 'GET application status',
      method: 'GET',
      path: () => `/v1/applications/${applicationId}`,
      token: () => tokens.applicant,
    },
    {
      route: 'GET applications (list)',
      method: 'GET',
      path: () => '/v1/applications',
      token: () => tokens.manager,
    },
    {
      route: 'GET review queue',
      method: 'GET',
      path: () => '/v1/review-queue',
      token: () => tokens.manager,
    },
    {
      route: 'POST start application',
      method: 'POST',
      path: () => '/v1/applications',
      token: () => tokens.newcomer,
      body: () => ({ identityMethod: 'new_id' }),
    },
    {
      route: 'POST application step (update)',
      method: 'POST',
      path: () => `/v1/applications/${applicationId}/company-confirmation`,
      token: () => tokens.applicant,
      body: () => ({ confirmed: true }),
    },
    {
      route: 'GET partner (me)',
      method: 'GET',
      path: () => '/v1/partners/me',
      token: () => tokens.partner,
    },
    {
      route: 'GET notifications',
      method: 'GET',
      path: () => '/v1/notifications',
      token: () => tokens.partner,
    },
    {
      route: 'GET invoices (me)',
      method: 'GET',
      path: () => '/v1/partners/me/invoices',
      token: () => tokens.partner,
    },
    {
      route: 'POST exit notice',
      method: 'POST',
      path: () => '/v1/partners/me/exit-notice',
      token: () => tokens.partner,
      body: () => ({}),
    },
    {
      route: 'POST revoke partner',
      method: 'POST',
      path: () => `/v1/partners/${partner.partnerId}/revoke`,
      token: () => tokens.manager,
      body: () => ({ reason: 'fault test' }),
    },
    {
      route: 'POST close a month',
      method: 'POST',
      path: () => '/v1/closes',
      token: () => tokens.finance,
      body: () => ({ month }),
    },
    {
      route: 'GET a month close',
      method: 'GET',
      path: () => `/v1/closes/${month}`,
      token: () => tokens.finance,
    },
    {
      route: 'GET consumption summary',
      method: 'GET',
      path: () => `/v1/consumption/summary?month=${month}`,
      token: () => tokens.finance,
    },
  ];

  function expectNoLeak(text: string): void {
    for (const leak of [
      String(pgPort),
      String(temporalPort),
      '127.0.0.1',
      'localhost',
      'ECONNREFUSED',
      'postgresql://',
      'UNAVAILABLE',
    ]) {
      expect(text).not.toContain(leak);
    }
  }

  function expectUnavailable(
    res: Awaited<ReturnType<typeof call>>,
    dependency: 'database' | 'temporal',
  ): void {
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.status).toBe(503);
    expectNoLeak(res.text);
    if (res.body.title === 'Dependency unavailable') {
      expect(res.body.errors).toMatchObject([{ field: '(dependency)', message: dependency }]);
      expect(res.body).toMatchObject({ code: 'dependency_unavailable', params: { dependency } });
    }
  }

  async function probeAll(outage: string) {
    const results = new Map<string, Awaited<ReturnType<typeof call>>>();
    for (const probe of probes) {
      const res = await call(probe.method, probe.path(), probe.token(), probe.body?.());
      measured.push({ outage, route: probe.route, status: res.status, ms: res.ms });
      expect({ route: probe.route, withinBound: res.ms < BOUND_MS }).toEqual({
        route: probe.route,
        withinBound: true,
      });
      results.set(probe.route, res);
    }
    const health = await call('GET', '/healthz');
    measured.push({ outage, route: 'GET /healthz', status: health.status, ms: health.ms });
    expect(health.ms).toBeLessThan(BOUND_MS);
    expectNoLeak(health.text);
    return { results, health };
  }

  it('with PostgreSQL stopped, every route answers 503 naming the database within 2 s', async () => {
    const ok = await call('GET', `/v1/applications/${applicationId}`, tokens.applicant);
    expect(ok.status).toBe(200);
    await postgres.stop();
    try {
      const { results, health } = await probeAll('postgres');
      for (const [route, res] of results) {
        expect({ route, status: res.status }).toEqual({ route, status: 503 });
        expectUnavailable(res, 'database');
        expect(res.body.errors).toMatchObject([{ field: '(dependency)', message: 'database' }]);
      }
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBeTruthy();
      expect(health.body).toEqual({
        status: 'degraded',
        checks: {
          database: { status: 'failing', latencyMs: expect.any(Number) as number },
          temporal: { status: 'ok', latencyMs: expect.any(Number) as number },
        },
      });
    } finally {
      postgres = await startPostgres({ home, port: pgPort });
    }
    // Back: the pool reconnects by itself.
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await call('GET', `/v1/applications/${applicationId}`, tokens.applicant)).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(200);
  }, 120_000);

  it('with Temporal stopped, status reads come from PostgreSQL and the rest answers 503 within 2 s', async () => {
    await temporal.stop();
    const { results, health } = await probeAll('temporal');
    // Served from the database: the application's status, exactly as the workflow gave it.
    const status = results.get('GET application status');
    expect(status?.status).toBe(200);
    expect(status?.body).toEqual(applicationBefore);
    for (const route of [
      'GET applications (list)',
      'GET review queue',
      'GET partner (me)',
      'GET notifications',
      'GET invoices (me)',
      'GET consumption summary',
    ]) {
      expect({ route, status: results.get(route)?.status }).toEqual({ route, status: 200 });
    }
    for (const route of [
      'POST start application',
      'POST application step (update)',
      'POST exit notice',
      'POST revoke partner',
      'POST close a month',
      'GET a month close',
    ]) {
      const res = results.get(route);
      if (!res) throw new Error(`no answer for ${route}`);
      expect({ route, status: res.status }).toEqual({ route, status: 503 });
      expectUnavailable(res, 'temporal');
    }
    expect(health.status).toBe(503);
    expect(health.body).toEqual({
      status: 'degraded',
      checks: {
        database: { status: 'ok', latencyMs: expect.any(Number) as number },
        temporal: { status: 'failing', latencyMs: expect.any(Number) as number },
      },
    });
  }, 120_000);
});
