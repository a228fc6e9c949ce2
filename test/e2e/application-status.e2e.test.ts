import { Client, Connection } from '@temporalio/client';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { createTokenService } from '../../api/http/auth';
import { nextActionText, type NextActionCode } from '../../domain/next-actions';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient } from '../support/fixtures';

/**
 * GET /v1/applications/{id} answers from the database (the applications projection and the
 * rows beside it), not by querying the workflow. After every step of every path the answer
 * equals the workflow's own state (its `applicationState` query), field by field.
 */
type Application = Record<string, unknown> & {
  applicationId: string;
  status: string;
  workflowId: string;
  nextActionCode: NextActionCode;
  nextActionParams: Record<string, string | number>;
  billingAccount: { id: string } | null;
};

describe('an application status read from PostgreSQL', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-app-status') });
  const suffix = Math.random().toString(36).slice(2, 8);
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let connection: Connection;
  let temporal: Client;
  const tokens = { manager: '', billing: '' };
  const call = apiClient(() => api.url);
  const issuer = createTokenService(config.auth);

  beforeAll(async () => {
    db = testDatabase();
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    connection = await Connection.connect({ address: config.temporal.address ?? '' });
    temporal = new Client({ connection, namespace: config.temporal.namespace });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.billing = await issuer.issue({ subject: 'billing-system', role: 'billing-system' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await connection?.close();
    await db?.$disconnect();
  });

  const contact = { name: 'Anna Petrova', email: 'anna@example.com', phone: '+7 495 123-45-67' };
  const questionnaire = {
    companySize: '11-50',
    specializations: ['integration'],
    customerCount: 12,
    motivation: 'Resell cloud to our customers',
  };

  function applicant(tag: string) {
    return issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId: `org-status-${tag}-${suffix}`,
    });
  }

  /** The workflow's state (by the query's wire name) beside the API's answer from the database. */
  async function expectSameAsWorkflow(token: string, id: string): Promise<Application> {
    const res = await call<Application>('GET', `/v1/applications/${id}`, token);
    expect(res.status).toBe(200);
    const {
      workflowId,
      workflowUrl,
      expiresAt,
      nextActionCode,
      nextActionParams,
      ...fromDatabase
    } = res.body;
    const { expiresAt: workflowExpiresAt, ...state } = await temporal.workflow
      .getHandle(workflowId)
      .query<Record<string, unknown> & { expiresAt: string | null }>('applicationState');
    expect(fromDatabase).toEqual(state);
    // The stable code, read in English, says what the workflow says.
    expect(nextActionText({ code: nextActionCode, params: nextActionParams })).toBe(
      state.nextAction,
    );
    // The 30 days run from the applicant's last recorded step; the workflow starts them when
    // it handles the step, a moment (an activity) before or after it records it.
    if (workflowExpiresAt === null) expect(expiresAt).toBeNull();
    else {
      const apart = Date.parse(String(expiresAt)) - Date.parse(workflowExpiresAt);
      expect(Math.abs(apart)).toBeLessThan(5_000);
    }
    expect(workflowUrl).toEqual(expect.stringContaining(encodeURIComponent(workflowId)));
    return res.body;
  }

  async function step(token: string, id: string, action: string, body: unknown) {
    const res = await call<Application>('POST', `/v1/applications/${id}/${action}`, token, body);
    expect({ action, status: res.status }).toEqual({ action, status: 200 });
    return expectSameAsWorkflow(token, id);
  }

  async function until(token: string, id: string, status: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const res = await call<Application>('GET', `/v1/applications/${id}`, token);
      if (res.body.status === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`application ${id} never reached ${status}`);
  }

  it('matches the workflow along the INN path: card, video, new billing account, verification failed then passed, approval', async () => {
    const anna = await applicant('inn');
    const created = await call<Application>('POST', '/v1/applications', anna, {
      identityMethod: 'new_id',
    });
    expect(created.status).toBe(201);
    const id = created.body.applicationId;
    await expectSameAsWorkflow(anna, id);

    await step(anna, id, 'application', { contact, company: { inn: FIXTURE_INN.active } });
    await step(anna, id, 'company-confirmation', { confirmed: false });
    await step(anna, id, 'application', { contact, company: { inn: FIXTURE_INN.active } });
    await step(anna, id, 'company-confirmation', { confirmed: true });
    await step(anna, id, 'video-progress', { positionSeconds: 240, durationSeconds: 240 });
    await step(anna, id, 'partnership', {
      programs: ['var', 'referral'],
      taxationType: 'general_with_vat',
      questionnaire,
      bankDetails: { bik: '044525225', account: '40702810938000000001' },
    });
    const submitted = await step(anna, id, 'billing-account', {
      name: 'Main account',
      type: 'business',
    });
    const billingAccountId = submitted.billingAccount?.id ?? '';

    const refused = await call('POST', '/v1/billing-verifications', tokens.billing, {
      billingAccountId,
      result: 'rejected',
      reason: 'the payer address is incomplete',
    });
    expect(refused.status).toBe(202);
    await until(anna, id, 'draft');
    const toCorrect = await expectSameAsWorkflow(anna, id);
    expect(toCorrect).toMatchObject({
      nextActionCode: 'correct_billing_account',
      nextActionParams: { reason: 'the payer address is incomplete' },
    });

    await step(anna, id, 'billing-account', { name: 'Main account, corrected', type: 'business' });
    const verified = await call('POST', '/v1/billing-verifications', tokens.billing, {
      billingAccountId,
      result: 'approved',
    });
    expect(verified.status).toBe(202);
    await until(anna, id, 'in_review');
    await expectSameAsWorkflow(anna, id);

    const approved = await step(tokens.manager, id, 'approve', {});
    expect(approved).toMatchObject({ status: 'approved', step: 'decision' });
  });

  it('matches the workflow along the existing-account path to a rejection, and on a cancel', async () => {
    const boris = await applicant('existing');
    const organizationId = `org-status-existing-${suffix}`;
    const accountId = `ba-status-${suffix}`;
    await db.billingAccount.create({
      data: {
        id: accountId,
        organizationId,
        name: 'Existing account',
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
        inn: FIXTURE_INN.smallLlc,
        legalName: 'ООО «Существующий»',
        bik: '044525225',
        settlementAccount: '40702810938000000001',
      },
    });
    const created = await call<Application>('POST', '/v1/applications', boris, {
      identityMethod: 'existing_account',
    });
    const id = created.body.applicationId;
    await step(boris, id, 'application', { contact, company: { billingAccountId: accountId } });
    await step(boris, id, 'video-progress', { positionSeconds: 100, durationSeconds: 100 });
    await step(boris, id, 'partnership', {
      programs: ['referral'],
      taxationType: 'simplified',
      questionnaire,
    });
    const rejected = await step(tokens.manager, id, 'reject', { reason: 'no cloud practice' });
    expect(rejected).toMatchObject({ status: 'rejected' });

    const clara = await applicant('cancel');
    const started = await call<Application>('POST', '/v1/applications', clara, {
      identityMethod: 'sso_federation',
    });
    const cancelled = await step(clara, started.body.applicationId, 'cancel', {
      reason: 'changed our minds',
    });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
  });
});
