import { Client, Connection } from '@temporalio/client';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { PartnerStatus } from '../../domain/lifecycle';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner } from '../support/fixtures';

/**
 * Issue #11: an organization that is a partner (active or leaving) cannot start an
 * application; one whose partner left or was revoked can, but its approval is refused at
 * once (the database keeps one partner record per organization) instead of retrying the
 * partner's creation forever.
 */
interface Problem {
  status: number;
  title: string;
  detail: string;
}
interface Application {
  applicationId: string;
  status: string;
  workflowId: string;
  billingAccount: { id: string } | null;
  decision: unknown;
}

describe('re-application of a partner organization (issue #11)', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-reapply') });
  const stamp = Date.now().toString(36);
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let connection: Connection;
  const call = apiClient(() => api.url);
  const issuer = createTokenService(config.auth);
  const tokens = { manager: '', billing: '' };

  beforeAll(async () => {
    db = testDatabase();
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.billing = await issuer.issue({ subject: 'billing', role: 'billing-system' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await connection?.close();
    await db?.$disconnect();
  });

  /** A partner of the given status and a token of a user of its organization. */
  async function partnerOrganization(status: PartnerStatus) {
    const partner = await createPartner(db, {
      tag: `reapply-${stamp}-${status}`,
      name: `ООО «Снова ${status}»`,
      memberSince: '2025-01-01',
      memberUntil: status === 'left' || status === 'revoked' ? '2025-06-30' : undefined,
    });
    await db.partner.update({ where: { id: partner.partnerId }, data: { status } });
    const token = await issuer.issue({
      subject: `user-${status}-${stamp}`,
      role: 'partner',
      organizationId: partner.organizationId,
    });
    return { ...partner, token };
  }

  it.each<PartnerStatus>(['active', 'leaving'])(
    'answers 409 to a %s partner starting an application, and starts nothing',
    async (status) => {
      const org = await partnerOrganization(status);
      const res = await call<Problem>('POST', '/v1/applications', org.token, {
        identityMethod: 'existing_account',
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 409, title: 'Conflict' });
      expect(res.body.detail).toBe(
        `Organization ${org.organizationId} is already a partner (partner ${org.partnerId}, ` +
          `status ${status}); it can apply again once it has left the program`,
      );
      const mine = await call<{ items: unknown[] }>('GET', '/v1/applications', org.token);
      expect(mine.body.items).toEqual([]);
    },
  );

  it.each<PartnerStatus>(['left', 'revoked'])(
    'lets a %s partner apply again; approval is refused at once with 409, never retried',
    async (status) => {
      const org = await partnerOrganization(status);
      const base = '/v1/applications';
      const started = await call<Application>('POST', base, org.token, {
        identityMethod: 'existing_account',
      });
      expect(started.status).toBe(201);
      const id = started.body.applicationId;
      const step = async (path: string, body: unknown) => {
        const res = await call<Application>('POST', `${base}/${id}/${path}`, org.token, body);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        return res.body;
      };
      await step('application', {
        contact: { name: 'Olga Ivanova', email: 'olga@example.com', phone: '+7 495 765-43-21' },
        company: { inn: FIXTURE_INN.active },
      });
      await step('company-confirmation', { confirmed: true });
      await step('video-progress', { positionSeconds: 240, durationSeconds: 240 });
      await step('partnership', {
        programs: ['var'],
        taxationType: 'general_with_vat',
        questionnaire: {
          companySize: '11-50',
          specializations: ['integration'],
          customerCount: 3,
          motivation: 'Back in the program',
        },
      });
      const submitted = await step('billing-account', { name: 'Main account', type: 'business' });
      const verified = await call('POST', '/v1/billing-verifications', tokens.billing, {
        billingAccountId: submitted.billingAccount?.id,
        result: 'approved',
      });
      expect(verified.status).toBe(202);
      let current = submitted;
      for (let i = 0; i < 100 && current.status !== 'in_review'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        current = (await call<Application>('GET', `${base}/${id}`, org.token)).body;
      }
      expect(current.status).toBe('in_review');

      const approved = await call<Problem>('POST', `${base}/${id}/approve`, tokens.manager, {});
      expect(approved.status).toBe(409);
      expect(approved.body.detail).toMatch(
        new RegExp(
          `^Organization ${org.organizationId} was a partner \\(partner ${org.partnerId}, ` +
            `status ${status}\\) and the platform keeps one partner record per organization`,
        ),
      );

      // Nothing changed: still in review, no second partner, and no attempt left retrying.
      const after = await call<Application>('GET', `${base}/${id}`, org.token);
      expect(after.body).toMatchObject({ status: 'in_review', decision: null });
      expect(await db.partner.count({ where: { organizationId: org.organizationId } })).toBe(1);
      const handle = new Client({
        connection,
        namespace: config.temporal.namespace,
      }).workflow.getHandle(current.workflowId);
      const description = await handle.describe();
      // No createPartner attempt left retrying (a notification may still be on its way).
      expect(
        (description.raw.pendingActivities ?? []).filter(
          (a) => a.activityType?.name === 'createPartner',
        ),
      ).toEqual([]);
      const history = await handle.fetchHistory();
      const createPartnerTasks = (history.events ?? []).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createPartner',
      );
      expect(createPartnerTasks).toHaveLength(1);
      const failed = (history.events ?? []).filter((e) => e.activityTaskFailedEventAttributes);
      expect(failed).toHaveLength(1);
      expect(
        failed[0]?.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo,
      ).toMatchObject({ type: 'OrganizationIsPartner', nonRetryable: true });

      // The manager can still decide: the application is rejected with a reason.
      const rejected = await call<Application>('POST', `${base}/${id}/reject`, tokens.manager, {
        reason: 'Former partners cannot be admitted again yet',
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body.status).toBe('rejected');
    },
  );
});
