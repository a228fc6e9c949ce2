import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  createOnboardingActivities,
  ONBOARDING_NON_RETRYABLE_ERRORS,
  type CreatePartnerInput,
  type OnboardingActivityDeps,
} from '../../activities/onboarding.activities';
import type { PartnerStatus } from '../../domain/lifecycle';
import type { Database } from '../../prisma/client';
import { createPartnerRepository } from '../../prisma/repositories/partner.repository';
import { ONBOARDING_FAILURES } from '../../workflows/partner-onboarding.contracts';
import { testDatabase } from '../support/env';

/**
 * Issue #11: approval creates the partner once per application. A retry of the same approval
 * (also one racing the first attempt) gets the same partner; an organization whose partner
 * record belongs to another application fails at once and for good, instead of retrying on
 * the unique organization forever.
 */
describe('createPartner on approval', () => {
  let db: Database;
  let activities: ReturnType<typeof createOnboardingActivities>;

  beforeAll(() => {
    db = testDatabase();
    activities = createOnboardingActivities({
      partners: createPartnerRepository(db),
    } as Pick<OnboardingActivityDeps, 'partners'> as OnboardingActivityDeps);
  });

  afterAll(async () => {
    await db?.$disconnect();
  });

  function approval(organizationId: string): CreatePartnerInput {
    return {
      applicationId: randomUUID(),
      organizationId,
      name: 'ООО «Повтор»',
      inn: '7707083893',
      billingAccountId: `ba-${randomUUID()}`,
      taxationType: 'general_with_vat',
      programs: ['var'],
      startDate: '2026-02-01',
      approvedBy: 'user-maria',
    };
  }

  async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(ApplicationFailure);
      return error as ApplicationFailure;
    }
    throw new Error('expected the activity to fail');
  }

  it('returns the same partner when the approval is retried, also concurrently', async () => {
    const input = approval(`org-retry-${randomUUID()}`);
    const attempts = await Promise.all([1, 2, 3, 4].map(() => activities.createPartner(input)));
    const ids = new Set(attempts.map((a) => a.partnerId));
    expect(ids.size).toBe(1);
    expect(await activities.createPartner(input)).toEqual(attempts[0]);
    const rows = await db.partner.findMany({
      where: { organizationId: input.organizationId },
      include: { memberships: true },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.memberships).toHaveLength(1);
  });

  it.each<[PartnerStatus, RegExp]>([
    ['active', /is already a partner .*status active.*can apply again once it has left/],
    ['leaving', /is already a partner .*status leaving.*can apply again once it has left/],
    ['left', /was a partner .*status left.*one partner record per organization/],
    ['revoked', /was a partner .*status revoked.*one partner record per organization/],
  ])(
    'fails non-retryably when the organization’s partner (%s) is another application’s',
    async (status, message) => {
      const organizationId = `org-taken-${randomUUID()}`;
      const first = await activities.createPartner(approval(organizationId));
      await db.partner.update({ where: { id: first.partnerId }, data: { status } });

      const second = approval(organizationId);
      const failure = await failureOf(activities.createPartner(second));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe(ONBOARDING_FAILURES.organizationIsPartner);
      expect(ONBOARDING_NON_RETRYABLE_ERRORS).toContain(failure.type);
      expect(failure.message).toMatch(message);
      expect(failure.details?.[0]).toMatchObject({
        organizationId,
        applicationId: second.applicationId,
        partnerId: first.partnerId,
        partnerStatus: status,
      });
      expect(await db.partner.count({ where: { organizationId } })).toBe(1);
      expect(await db.partner.count({ where: { applicationId: second.applicationId } })).toBe(0);
    },
  );

  it('fails non-retryably also when two applications of one organization race', async () => {
    const organizationId = `org-race-${randomUUID()}`;
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => activities.createPartner(approval(organizationId))),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      const reason = r.reason as ApplicationFailure;
      expect(reason).toBeInstanceOf(ApplicationFailure);
      expect(reason.nonRetryable).toBe(true);
    }
  });
});
