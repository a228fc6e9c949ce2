import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import { exitMonthOf } from '../../domain/lifecycle';
import type { Database } from '../../prisma/client';
import { createReferralRepository } from '../../prisma/repositories/referral.repository';
import { monthCloseWorkflow, partnerRevocationWorkflow } from '../../workflows';
import { monthCloseWorkflowId, type MonthCloseResult } from '../../workflows/month-close.contracts';
import { partnerRevocationWorkflowId } from '../../workflows/partner-revocation.contracts';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { consumeLine, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * Referral commissions (SPEC §3) through the month-close workflow on the time-skipping
 * server: 10% of referred customers' paid consumption, one statement line per customer and
 * month, late consumption in the next month's statement, and the final statement on leaving.
 * March and April 2024 are this file's own months: no other test closes them.
 */
describe('referral commissions in the month close', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  let partner: PartnerFixture;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('referral');
  const tag = randomUUID().slice(0, 8);
  const customerX = `ref-x-${tag}`;
  const customerY = `ref-y-${tag}`;
  let seq = 0;

  const consume = (accountId: string, date: string, amount: string, grants = '0') =>
    consumeLine(db, { sourceId: `ref-${tag}-${(seq += 1)}`, accountId, date, amount, grants });

  async function closeMonth(month: string): Promise<MonthCloseResult> {
    const handle = await env.client.workflow.start(monthCloseWorkflow, {
      taskQueue,
      workflowId: `${monthCloseWorkflowId(month)}:${tag}:${randomUUID().slice(0, 4)}`,
      args: [{ month }],
    });
    await waitUntilClosed(handle);
    // Closed already: awaiting its result cannot let the time-skipping clock leap.
    return (await handle.describe()).status.name === 'COMPLETED'
      ? await handle.result()
      : Promise.reject(new Error(`close of ${month} failed`));
  }

  async function statement(month: string, kind: 'monthly' | 'final') {
    return db.commissionStatement.findUnique({
      where: { partnerId_month_kind: { partnerId: partner.partnerId, month, kind } },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
  }

  const lines = (s: Awaited<ReturnType<typeof statement>>) =>
    s?.lines.map((l) => [l.customerAccountId, l.forMonth, l.base.toString(), l.amount.toFixed(2)]);

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    ({ worker, running } = await startTestWorker(env, {
      taskQueue,
      activities: createActivities({ db, config }),
    }));
    partner = await createPartner(db, {
      tag: `ref-${tag}`,
      name: 'ООО «Рекомендация»',
      memberSince: '2024-01-01',
      program: 'referral',
      customers: 0,
    });
    await db.billingAccount.update({
      where: { id: partner.ownAccountId },
      data: { bik: '044525225', settlementAccount: '40702810938000000001' },
    });
    const referrals = createReferralRepository(db);
    const { code } = await referrals.linkOf(partner.partnerId);
    // Sign-ups recorded while March 2024 was open. Written directly: the repository refuses a
    // sign-up dated in a closed month, and other test files close later months meanwhile.
    for (const [accountId, signedUpAt] of [
      [customerX, '2024-03-10T09:00:00+03:00'],
      [customerY, '2024-03-20T23:30:00+03:00'],
    ] as const) {
      await db.billingAccount.create({
        data: {
          id: accountId,
          organizationId: `org-${accountId}`,
          name: accountId,
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
        },
      });
      await db.referralAttribution.create({
        data: {
          customerAccountId: accountId,
          partnerId: partner.partnerId,
          referralCode: code,
          signedUpAt: new Date(signedUpAt),
          startDate: new Date(`${moscowDateOf(signedUpAt)}T00:00:00Z`),
          attributedBy: 'billing-system',
        },
      });
    }
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  it('accrues 10% per customer across two months, late consumption in the next statement', async () => {
    await consume(customerX, '2024-03-05', '999.00'); // before X signed up: no commission
    await consume(customerX, '2024-03-15', '1234.56', '234.56');
    await consume(customerY, '2024-03-25', '333.33');
    const march = await closeMonth('2024-03');
    expect(march).toMatchObject({ month: '2024-03', statementsCreated: 1 });
    // X: (1234.56 − 234.56) × 10% = 100.00. Y: 333.33 × 10% = 33.333 → 33.33. Total 133.33.
    const first = await statement('2024-03', 'monthly');
    expect(lines(first)).toEqual([
      [customerX, '2024-03', '1000', '100.00'],
      [customerY, '2024-03', '333.33', '33.33'],
    ]);
    expect(first?.total.toFixed(2)).toBe('133.33');
    expect(first).toMatchObject({ payoutBik: '044525225', payoutAcct: '40702810938000000001' });

    await consume(customerX, '2024-04-10', '2000.05');
    await consume(customerY, '2024-04-01', '10.00', '10.00'); // all grants: nothing paid
    await consume(customerX, '2024-03-31', '50.00'); // March, arriving after March closed
    await closeMonth('2024-04');
    await closeMonth('2024-04'); // a rerun changes nothing
    // X: 2000.05 × 10% = 200.005 → 200.01 (half-up). Y: 0.00.
    // Late March consumption of X: 50.00 × 10% = 5.00. Total 205.01.
    const second = await statement('2024-04', 'monthly');
    expect(lines(second)).toEqual([
      [customerX, '2024-04', '2000.05', '200.01'],
      [customerY, '2024-04', '0', '0.00'],
      [customerX, '2024-03', '50', '5.00'],
    ]);
    expect(second?.total.toFixed(2)).toBe('205.01');
    expect(second?.lines[2]?.description).toContain('late consumption, settled in 2024-04');
    expect(await db.commissionStatement.count({ where: { partnerId: partner.partnerId } })).toBe(2);
  });

  it('issues the final statement of the partial month on revocation and ends the attributions', async () => {
    const today = moscowDateOf(new Date(await env.currentTimeMs()));
    const month = exitMonthOf(today);
    await consume(customerX, `${month}-01`, '123.45');
    const handle = await env.client.workflow.start(partnerRevocationWorkflow, {
      taskQueue,
      workflowId: partnerRevocationWorkflowId(partner.partnerId),
      args: [
        {
          partnerId: partner.partnerId,
          reason: 'customers referred by fraud',
          revokedBy: 'user-maria',
          effectiveDate: today,
        },
      ],
    });
    await waitUntilClosed(handle);
    const final = await handle.result();
    // 123.45 × 10% = 12.345 → 12.35.
    const issued = await statement(month, 'final');
    expect(lines(issued)).toEqual([[customerX, month, '123.45', '12.35']]);
    expect(final).toMatchObject({
      month,
      invoice: null,
      commissionStatement: { number: issued?.number, total: '12.35' },
      rebatePayout: null,
    });
    const attributions = await db.referralAttribution.findMany({
      where: { partnerId: partner.partnerId },
    });
    const lastDay = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(attributions.map((a) => a.endDate?.toISOString().slice(0, 10))).toEqual([
      lastDay,
      lastDay,
    ]);
  });
});
