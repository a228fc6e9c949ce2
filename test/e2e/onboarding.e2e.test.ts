import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, uniqueTaskQueue } from '../support/env';

/**
 * Through the HTTP API against the Temporal dev server and PostgreSQL, with the worker and
 * the API exactly as `npm start` runs them: an application goes from start to partner.
 */
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface Application {
  applicationId: string;
  status: string;
  step: string;
  organizationId: string;
  nextAction: string;
  nextActionCode: string;
  nextActionParams: Record<string, string | number>;
  billingAccount: { id: string; verification: string } | null;
  review: { deadline: string; lastReviewDay: string } | null;
  decision: { partnerId: string } | null;
  workflowUrl: string;
}

describe('onboarding through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-onboarding') });
  let worker: RunningWorker;
  let api: RunningApi;
  const tokens: Record<string, string> = {};
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    worker = await startWorker(config, { schedules: false });
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

  async function call<T = unknown>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    raw?: string,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined || raw !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: res.headers,
    };
  }

  const contact = { name: 'Anna Petrova', email: 'anna@example.com', phone: '+7 495 123-45-67' };
  const questionnaire = {
    companySize: '11-50',
    specializations: ['integration'],
    customerCount: 12,
    motivation: 'Resell cloud to our customers',
  };

  it('reports the database and Temporal as reachable', async () => {
    const res = await call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'ok' }, temporal: { status: 'ok' } },
    });
  });

  it('takes an application from start to partner with the HTTP API alone', async () => {
    const anna = tokens['user-anna'];
    const base = '/v1/applications';
    const created = await call<Application>('POST', base, anna, { identityMethod: 'new_id' });
    expect(created.status).toBe(201);
    const id = created.body.applicationId;
    expect(created.headers.get('location')).toBe(`${base}/${id}`);
    expect(created.body).toMatchObject({
      status: 'draft',
      step: 'application',
      organizationId: `org-1001-${suffix}`,
    });
    expect(created.body.workflowUrl).toContain(
      encodeURIComponent(`partner-onboarding:org-1001-${suffix}`),
    );

    const again = await call<Application>('POST', base, anna, { identityMethod: 'sso_federation' });
    expect(again.status).toBe(200);
    expect(again.body.applicationId).toBe(id);

    const step3 = await call<Application>('POST', `${base}/${id}/application`, anna, {
      contact,
      company: { inn: FIXTURE_INN.active },
    });
    expect(step3.status).toBe(200);
    expect(step3.body).toMatchObject({
      nextAction: 'Confirm the company card from the registry',
      nextActionCode: 'confirm_company',
      nextActionParams: {},
    });

    expect(
      (await call('POST', `${base}/${id}/company-confirmation`, anna, { confirmed: true })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `${base}/${id}/video-progress`, anna, {
          positionSeconds: 240,
          durationSeconds: 240,
        })
      ).status,
    ).toBe(200);

    const referralWithoutBank = await call<Problem>('POST', `${base}/${id}/partnership`, anna, {
      programs: ['referral'],
      taxationType: 'general_with_vat',
      questionnaire,
    });
    expect(referralWithoutBank.status).toBe(422);
    expect(referralWithoutBank.headers.get('content-type')).toContain('application/problem+json');
    expect(referralWithoutBank.body.errors).toMatchObject([
      {
        field: 'bankDetails',
        message: 'the referral program requires bank details (BIK and settlement account)',
      },
    ]);

    const step4 = await call<Application>('POST', `${base}/${id}/partnership`, anna, {
      programs: ['var'],
      taxationType: 'general_with_vat',
      questionnaire,
    });
    expect(step4.body).toMatchObject({ step: 'billing_account', status: 'draft' });

    const step5 = await call<Application>('POST', `${base}/${id}/billing-account`, anna, {
      name: 'Main account',
      type: 'business',
    });
    expect(step5.body).toMatchObject({ status: 'awaiting_billing_verification' });
    const billingAccountId = step5.body.billingAccount?.id as string;

    // Only the billing system reports verifications.
    expect(
      (
        await call('POST', '/v1/billing-verifications', anna, {
          billingAccountId,
          result: 'approved',
        })
      ).status,
    ).toBe(403);
    const verified = await call('POST', '/v1/billing-verifications', tokens['billing-system'], {
      billingAccountId,
      result: 'approved',
    });
    expect(verified.status).toBe(202);

    let current = step5.body;
    for (let i = 0; i < 100 && current.status !== 'in_review'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      current = (await call<Application>('GET', `${base}/${id}`, anna)).body;
    }
    expect(current.status).toBe('in_review');

    const queue = await call<{
      items: {
        applicationId: string;
        businessDaysLeft: number;
        overdue: boolean;
        deadline: string;
      }[];
    }>('GET', '/v1/review-queue', tokens.manager);
    const entry = queue.body.items.find((item) => item.applicationId === id);
    expect(entry).toMatchObject({ overdue: false, deadline: current.review?.deadline });
    expect(entry?.businessDaysLeft).toBeGreaterThanOrEqual(7);
    expect(entry?.businessDaysLeft).toBeLessThanOrEqual(8);
    expect((await call('GET', '/v1/review-queue', anna)).status).toBe(403);

    // The applicant cannot approve; the manager can.
    expect((await call('POST', `${base}/${id}/approve`, anna, {})).status).toBe(403);
    const approved = await call<Application>('POST', `${base}/${id}/approve`, tokens.manager, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', step: 'decision' });

    const partner = await call<{ id: string; status: string; memberships: { program: string }[] }>(
      'GET',
      '/v1/partners/me',
      anna,
    );
    expect(partner.status).toBe(200);
    expect(partner.body).toMatchObject({ id: approved.body.decision?.partnerId, status: 'active' });
    expect(partner.body.memberships.map((m) => m.program)).toEqual(['var']);
    expect(
      (await call('GET', `/v1/partners/${partner.body.id}`, tokens['user-boris'])).status,
    ).toBe(404);
    expect((await call('GET', `/v1/partners/${partner.body.id}`, tokens.manager)).status).toBe(200);

    const inbox = await call<{ items: { kind: string }[] }>('GET', '/v1/notifications', anna);
    expect(inbox.body.items.map((n) => n.kind)).toEqual(['application-approved']);
    const staff = await call<{ items: { kind: string; organizationId: string }[] }>(
      'GET',
      '/v1/notifications?limit=200',
      tokens.manager,
    );
    expect(
      staff.body.items.filter((n) => n.organizationId === `org-1001-${suffix}`).map((n) => n.kind),
    ).toEqual(['review-requested']);

    // The organization is a partner now: it cannot apply again until it has left (SPEC §4).
    const fresh = await call<Problem>('POST', base, anna, { identityMethod: 'existing_account' });
    expect(fresh.status).toBe(409);
    expect(fresh.body.detail).toMatch(/already a partner .*status active.*once it has left/);
  });

  it('answers a step out of order with 409 and a cancelled application with 409', async () => {
    const boris = tokens['user-boris'];
    const { body } = await call<Application>('POST', '/v1/applications', boris, {
      identityMethod: 'new_id',
    });
    const early = await call<Problem>(
      'POST',
      `/v1/applications/${body.applicationId}/billing-account`,
      boris,
      {
        name: 'x',
        type: 'business',
      },
    );
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/step "billing_account"/);

    const liquidated = await call<Problem>(
      'POST',
      `/v1/applications/${body.applicationId}/application`,
      boris,
      {
        contact,
        company: { inn: FIXTURE_INN.liquidated },
      },
    );
    expect(liquidated.status).toBe(422);
    expect(liquidated.body.errors?.[0]?.field).toBe('company.inn');

    expect(
      (await call('GET', `/v1/applications/${body.applicationId}`, tokens['user-anna'])).status,
    ).toBe(404);
    const cancelled = await call<Application>(
      'POST',
      `/v1/applications/${body.applicationId}/cancel`,
      boris,
      {
        reason: 'wrong organization',
      },
    );
    expect(cancelled.body.status).toBe('cancelled');
    expect(
      (await call('POST', `/v1/applications/${body.applicationId}/cancel`, boris, {})).status,
    ).toBe(409);
  });

  it('answers bad input with field-level problem+json and starts nothing', async () => {
    const boris = tokens['user-boris'];
    const before = await call<{ items: unknown[] }>('GET', '/v1/applications', boris);
    const wrongValue = await call<Problem>('POST', '/v1/applications', boris, {
      identityMethod: 'fax',
      extra: 1,
    });
    expect(wrongValue.status).toBe(400);
    expect(wrongValue.headers.get('content-type')).toContain('application/problem+json');
    expect(wrongValue.body.errors?.map((e) => e.field).sort()).toEqual([
      'body',
      'body.identityMethod',
    ]);

    const malformed = await call(
      'POST',
      '/v1/applications',
      boris,
      undefined,
      '{"identityMethod":',
    );
    expect(malformed.status).toBe(400);

    const badId = await call<Problem>('GET', '/v1/applications/not-a-uuid', boris);
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.field).toBe('path.applicationId');

    const after = await call<{ items: unknown[] }>('GET', '/v1/applications', boris);
    expect(after.body.items).toEqual(before.body.items);
  });

  it('enforces authentication and roles', async () => {
    expect((await call('GET', '/v1/applications')).status).toBe(401);
    expect((await call('GET', '/v1/applications', 'not-a-token')).status).toBe(401);
    const managerStart = await call<Problem>('POST', '/v1/applications', tokens.manager, {
      identityMethod: 'new_id',
    });
    expect(managerStart.status).toBe(403);
    expect(managerStart.body.detail).toMatch(/role partner/);
    expect((await call('GET', '/v1/applications', tokens.finance)).status).toBe(403);
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const { body: doc } = await call<{
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
    }>('GET', '/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    const start = doc.paths['/v1/applications']?.post;
    expect(start?.['x-roles']).toEqual(['partner']);
    expect(
      start?.requestBody?.content['application/json']?.schema.properties.identityMethod?.enum,
    ).toEqual(['existing_account', 'new_id', 'sso_federation']);
    expect(doc.paths['/v1/applications/{applicationId}/approve']?.post?.['x-roles']).toEqual([
      'manager',
    ]);
    expect(doc.paths['/v1/billing-verifications']?.post?.['x-roles']).toEqual(['billing-system']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/v1/review-queue',
        '/v1/partners/me',
        '/v1/applications/{applicationId}/partnership',
      ]),
    );
  });
});
