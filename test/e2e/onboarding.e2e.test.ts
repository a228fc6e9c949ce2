import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, uniqueTaskQueue } from '../support/env';

/**
 * Through the HTTP API against the Temporal dev server and PostgreSQL, with the worker and
 * the API exactly as `npm start` runs them.
 */
describe('onboarding through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-onboarding') });
  let worker: RunningWorker;
  let api: RunningApi;
  const tokens: Record<string, string> = {};
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    worker = await startWorker(config);
    api = await startApi(config, { port: 0 });
    const service = createTokenService(config.auth);
    for (const p of DEVELOPMENT_PRINCIPALS) {
      const principal = p.organizationId
        ? { ...p, organizationId: `${p.organizationId}-${suffix}` }
        : p;
      tokens[p.role === 'partner' ? p.subject : p.role] = await service.issue(principal);
    }
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
  });

  function call(method: string, path: string, token?: string, body?: unknown, raw?: string) {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${api.url}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  }

  it('reports the database and Temporal as reachable', async () => {
    const res = await call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'ok' }, temporal: { status: 'ok' } },
    });
  });

  it('starts an application, returns the open one on a second start, shows it, and cancels it', async () => {
    const anna = tokens['user-anna'];
    const created = await call('POST', '/v1/applications', anna, { identityMethod: 'new_id' });
    expect(created.status).toBe(201);
    const application = (await created.json()) as {
      applicationId: string;
      status: string;
      organizationId: string;
    };
    expect(application).toMatchObject({ status: 'draft', organizationId: `org-1001-${suffix}` });
    expect(created.headers.get('location')).toBe(`/v1/applications/${application.applicationId}`);

    const again = await call('POST', '/v1/applications', anna, {
      identityMethod: 'sso_federation',
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { applicationId: string }).applicationId).toBe(
      application.applicationId,
    );

    const byPartner = await call('GET', `/v1/applications/${application.applicationId}`, anna);
    expect(byPartner.status).toBe(200);
    expect(await byPartner.json()).toMatchObject({
      applicationId: application.applicationId,
      status: 'draft',
      step: 'application',
      identityMethod: 'new_id',
      history: [{ action: 'started', actor: 'user-anna', from: null, to: 'draft' }],
    });

    const byManager = await call(
      'GET',
      `/v1/applications/${application.applicationId}`,
      tokens.manager,
    );
    expect(byManager.status).toBe(200);
    const list = await call('GET', '/v1/applications?status=draft&limit=200', tokens.manager);
    expect(
      ((await list.json()) as { items: { applicationId: string }[] }).items.map(
        (i) => i.applicationId,
      ),
    ).toContain(application.applicationId);

    const otherPartner = await call(
      'GET',
      `/v1/applications/${application.applicationId}`,
      tokens['user-boris'],
    );
    expect(otherPartner.status).toBe(404);
    expect(otherPartner.headers.get('content-type')).toContain('application/problem+json');

    const cancelled = await call(
      'POST',
      `/v1/applications/${application.applicationId}/cancel`,
      anna,
      {
        reason: 'wrong organization',
      },
    );
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });

    const twice = await call(
      'POST',
      `/v1/applications/${application.applicationId}/cancel`,
      anna,
      {},
    );
    expect(twice.status).toBe(409);

    // A closed application makes room for a new one.
    const fresh = await call('POST', '/v1/applications', anna, {
      identityMethod: 'existing_account',
    });
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as { applicationId: string }).applicationId).not.toBe(
      application.applicationId,
    );
  });

  it('answers bad input with field-level problem+json and starts nothing', async () => {
    const boris = tokens['user-boris'];
    const wrongValue = await call('POST', '/v1/applications', boris, {
      identityMethod: 'fax',
      extra: 1,
    });
    expect(wrongValue.status).toBe(400);
    expect(wrongValue.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await wrongValue.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['body', 'body.identityMethod']);

    const malformed = await call(
      'POST',
      '/v1/applications',
      boris,
      undefined,
      '{"identityMethod":',
    );
    expect(malformed.status).toBe(400);

    const badId = await call('GET', '/v1/applications/not-a-uuid', boris);
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'path.applicationId',
    );

    const list = await call('GET', '/v1/applications', boris);
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('enforces authentication and roles', async () => {
    expect((await call('GET', '/v1/applications')).status).toBe(401);
    expect((await call('GET', '/v1/applications', 'not-a-token')).status).toBe(401);
    const managerStart = await call('POST', '/v1/applications', tokens.manager, {
      identityMethod: 'new_id',
    });
    expect(managerStart.status).toBe(403);
    expect(((await managerStart.json()) as { detail: string }).detail).toMatch(/role partner/);
    expect((await call('GET', '/v1/applications', tokens.finance)).status).toBe(403);
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await call('GET', '/openapi.json');
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            'x-roles': string[];
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, { enum?: string[] }> } }
              >;
            };
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const start = doc.paths['/v1/applications']?.post;
    expect(start?.['x-roles']).toEqual(['partner']);
    expect(
      start?.requestBody?.content['application/json']?.schema.properties.identityMethod?.enum,
    ).toEqual(['existing_account', 'new_id', 'sso_federation']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/v1/applications',
        '/v1/applications/{applicationId}',
        '/v1/applications/{applicationId}/cancel',
      ]),
    );
  });
});
