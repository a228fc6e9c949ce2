import { randomUUID } from 'node:crypto';
import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { testConfig, testDatabase } from '../support/env';

/**
 * Consumption through the HTTP API, started in-process as `npm run api` runs it: the billing
 * system reports batches, finance and managers read monthly totals.
 */
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface IngestResult {
  received: number;
  inserted: number;
  duplicates: number;
  conflicts: string[];
}

describe('consumption through the HTTP API', () => {
  const config = testConfig();
  let api: RunningApi;
  let db: Database;
  const tokens: Record<string, string> = {};
  const tag = randomUUID().slice(0, 8);
  const account = `ba-e2e-consumption-${tag}`;

  beforeAll(async () => {
    db = testDatabase();
    await db.billingAccount.create({
      data: {
        id: account,
        organizationId: `org-consumption-${tag}`,
        name: 'Customer account',
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
    api = await startApi(config, { port: 0 });
    const service = createTokenService(config.auth);
    for (const p of DEVELOPMENT_PRINCIPALS) tokens[p.subject] = await service.issue(p);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  async function call<T>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  const line = (i: number, change: Record<string, unknown> = {}) => ({
    sourceId: `e2e-${tag}-${i}`,
    billingAccountId: account,
    cloudId: 'cloud-1',
    folderId: 'folder-1',
    serviceId: 'compute',
    sku: 'compute.vcpu',
    usageDate: '2026-05-10',
    amount: '100.250000',
    grantAmount: '10',
    ...change,
  });
  const ingest = (lines: unknown[], token = tokens['billing-system'] as string) =>
    call<IngestResult & Problem>('POST', '/v1/consumption/batches', token, { lines });
  const storedForAccount = () => db.consumptionLine.count({ where: { billingAccountId: account } });

  it('stores a batch once, however often billing sends it', async () => {
    const batch = [line(1), line(2), line(3, { usageDate: '2026-05-31', grantAmount: '0' })];
    const first = await ingest(batch);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 3, inserted: 3, duplicates: 0, conflicts: [] });

    const again = await ingest([...batch, line(4)]);
    expect(again.body).toEqual({ received: 4, inserted: 1, duplicates: 3, conflicts: [] });

    const changed = await ingest([line(1, { amount: '99' })]);
    expect(changed.body).toEqual({
      received: 1,
      inserted: 0,
      duplicates: 1,
      conflicts: [`e2e-${tag}-1`],
    });
    expect(await storedForAccount()).toBe(4);
  });

  it('takes a 10,000-line batch, beyond the default body limit', async () => {
    const batch = Array.from({ length: 10_000 }, (_, i) =>
      line(100_000 + i, { usageDate: '2026-06-01', amount: '0.000001', grantAmount: '0' }),
    );
    expect(JSON.stringify({ lines: batch }).length).toBeGreaterThan(256 * 1024);
    const res = await ingest(batch);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 10_000, inserted: 10_000, duplicates: 0 });
  });

  it('refuses more than 10,000 lines, bodies over 20 MB, and big bodies on other routes', async () => {
    const tooMany = await ingest(Array.from({ length: 10_001 }, (_, i) => line(200_000 + i)));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]?.field).toBe('body.lines');

    const huge = await fetch(`${api.url}/v1/consumption/batches`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokens['billing-system']}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ lines: [line(0)], padding: 'x'.repeat(21 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);

    // The larger limit is this route's only: another JSON route still stops at 256 kB.
    const big = await call<Problem>('POST', '/v1/applications', tokens['user-anna'] as string, {
      identityMethod: 'new_id',
      padding: 'x'.repeat(300 * 1024),
    });
    expect(big.status).toBe(413);
  });

  it('refuses the whole batch when one line is bad, naming the fields', async () => {
    const before = await storedForAccount();
    const res = await ingest([
      line(300),
      line(301, { amount: '1.1234567', usageDate: '2026-02-29' }),
      line(302, { grantAmount: '100.25' }), // equal to the amount: fine
      line(303, { billingAccountId: `ba-unknown-${tag}`, serviceId: 'teleport' }),
      line(304, { grantAmount: '100.250001' }),
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toMatchObject([
      { field: 'lines.1.usageDate', message: 'must be a calendar date in the form YYYY-MM-DD' },
      { field: 'lines.1.amount', message: 'must have at most 6 decimals' },
      { field: 'lines.3.billingAccountId', message: `no billing account ba-unknown-${tag}` },
      { field: 'lines.3.serviceId', message: 'no service teleport in the catalogue' },
      { field: 'lines.4.grantAmount', message: 'must not exceed the amount' },
    ]);
    expect(res.body.detail).toBe('5 problem(s) in 3 line(s); nothing was stored');
    expect(await storedForAccount()).toBe(before);
  });

  it('refuses ids PostgreSQL cannot hold (a NUL character) with 422 on the field, not 500', async () => {
    // Found by the API fuzzer: the catalogue look-up ran before the rules and failed in SQL.
    const before = await storedForAccount();
    const res = await ingest([
      line(310, { billingAccountId: 'ba\u0000x', serviceId: 'comp\u0000ute' }),
      line(311),
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toMatchObject([
      { field: 'lines.0.billingAccountId', message: 'must not contain NUL characters' },
      { field: 'lines.0.serviceId', message: 'must not contain NUL characters' },
    ]);
    expect(await storedForAccount()).toBe(before);
  });

  it('answers 400 for the wrong shape, e.g. amounts as JSON numbers', async () => {
    const before = await storedForAccount();
    const res = await ingest([line(400), line(401, { amount: 12.5 })]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject([
      { field: 'body.lines.1.amount', message: expect.any(String) as string },
    ]);
    expect((await ingest([])).status).toBe(400);
    expect(await storedForAccount()).toBe(before);
  });

  it('lets only the billing system report consumption', async () => {
    for (const subject of ['user-anna', 'user-maria', 'user-fedor']) {
      const res = await ingest([line(500)], tokens[subject]);
      expect(res.status).toBe(403);
    }
    const anonymous = await fetch(`${api.url}/v1/consumption/batches`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(await db.consumptionLine.count({ where: { sourceId: `e2e-${tag}-500` } })).toBe(0);
  });

  it('totals a month for finance and managers', async () => {
    const path = `/v1/consumption/summary?billingAccountId=${account}&month=2026-05`;
    for (const subject of ['user-fedor', 'user-maria']) {
      const res = await call('GET', path, tokens[subject] as string);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        billingAccountId: account,
        month: '2026-05',
        lines: 4,
        amount: '401.000000',
        grantAmount: '30.000000',
      });
    }
    const june = await call(
      'GET',
      path.replace('2026-05', '2026-06'),
      tokens['user-fedor'] as string,
    );
    expect(june.body).toMatchObject({ lines: 10_000, amount: '0.010000', grantAmount: '0.000000' });

    const all = await call<{ lines: number }>(
      'GET',
      '/v1/consumption/summary?month=2026-05',
      tokens['user-fedor'] as string,
    );
    expect(all.status).toBe(200);
    expect(all.body.lines).toBeGreaterThanOrEqual(4);

    expect((await call('GET', path, tokens['user-anna'] as string)).status).toBe(403);
    expect((await call('GET', path, tokens['billing-system'] as string)).status).toBe(403);
    const badMonth = await call<Problem>(
      'GET',
      '/v1/consumption/summary?month=2026-13',
      tokens['user-fedor'] as string,
    );
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors?.[0]?.field).toBe('query.month');
    const unknown = await call(
      'GET',
      `/v1/consumption/summary?billingAccountId=ba-none-${tag}&month=2026-05`,
      tokens['user-fedor'] as string,
    );
    expect(unknown.status).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const res = await fetch(`${api.url}/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/consumption/batches'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/v1/consumption/summary'] ?? {})).toEqual(['get']);
  });
});
