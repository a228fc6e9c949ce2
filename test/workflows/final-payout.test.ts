import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Database } from '../../prisma/client';
import { createPayoutRepository } from '../../prisma/repositories/payout.repository';
import { partnerRevocationWorkflow } from '../../workflows';
import { partnerRevocationWorkflowId } from '../../workflows/partner-revocation.contracts';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { createPartner } from '../support/fixtures';

/**
 * The final steps of a partner without bank details, on the time-skipping server: the rebate
 * balance is held, not paid, and the partner's notification says what to provide. The final
 * settlement's own activities are fakes here (their rules have tests of their own), so only
 * the payout and the notification run for real.
 */
describe('final payout of a partner without bank details', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('final-payout');

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    ({ worker, running } = await startTestWorker(env, {
      taskQueue,
      activities: {
        ...createActivities({ db, config }),
        settleFinalMonth: () => Promise.resolve({ invoice: null }),
        settleFinalCommission: () => Promise.resolve({ statement: null }),
      },
    }));
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  it('a revoked partner without bank details gets no payout, is told what to provide, and is paid once after giving them', async () => {
    const partner = await createPartner(db, {
      tag: `held-${randomUUID().slice(0, 8)}`,
      name: 'ООО «Без счёта»',
      memberSince: '2026-01-01',
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `credit:${partner.partnerId}`,
        kind: 'project_rebate',
        amount: '500.00',
        month: '2026-03',
      },
    });
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const handle = await env.client.workflow.start(partnerRevocationWorkflow, {
      taskQueue,
      workflowId: partnerRevocationWorkflowId(partner.partnerId),
      args: [
        {
          partnerId: partner.partnerId,
          reason: 'breach of the agreement',
          revokedBy: 'user-maria',
          effectiveDate: today,
        },
      ],
    });
    await waitUntilClosed(handle);
    const problems = [
      { field: 'bik', message: 'is not recorded', code: 'required' },
      { field: 'account', message: 'is not recorded', code: 'required' },
    ];
    expect(await handle.result()).toEqual({
      month: null,
      invoice: null,
      commissionStatement: null,
      rebatePayout: null,
      rebateAwaitingBankDetails: { amount: '500.00', problems },
    });

    // Nothing paid: no withdrawal, the balance kept.
    expect(await db.withdrawal.count({ where: { partnerId: partner.partnerId } })).toBe(0);
    const balance = await db.rebateLedgerEntry.aggregate({
      where: { partnerId: partner.partnerId },
      _sum: { amount: true },
    });
    expect(balance._sum.amount?.toFixed(2)).toBe('500.00');

    // Told: the revocation notice names the amount held and both fields to provide.
    const [note] = await db.notification.findMany({
      where: { organizationId: partner.organizationId, kind: 'partner_revoked' },
    });
    expect(note?.body).toContain('Your rebate balance of 500.00 RUB is kept for you and not paid');
    expect(note?.body).toContain('BIK: is not recorded; settlement account: is not recorded');
    expect(note?.body).toContain('9 digits');
    expect(note?.body).toContain('20 digits');
    expect(note?.body).not.toContain('paid out to your bank account');
    expect(note?.payload).toMatchObject({
      final: { rebateAwaitingBankDetails: { amount: '500.00', problems } },
    });

    // Finance sees it awaiting bank details.
    const payouts = createPayoutRepository(db);
    const awaiting = await payouts.list({ status: 'awaiting_bank_details', limit: 500 });
    expect(awaiting.find((p) => p.partnerId === partner.partnerId)).toMatchObject({
      amount: '500.00',
      requestedBy: 'revocation',
      partnerStatus: 'revoked',
    });

    // The partner gives its details (twice at once): paid once.
    const give = () =>
      payouts.giveBankDetails({
        partnerId: partner.partnerId,
        bik: '044525225',
        account: '40702810938000000001',
        actor: 'user-partner',
        at: new Date(),
      });
    const [a, b] = await Promise.all([give(), give()]);
    expect(a.finalPayout).toEqual(b.finalPayout);
    expect(a.finalPayout).toMatchObject({ status: 'paid', amount: '500.00' });
    const withdrawals = await db.withdrawal.findMany({ where: { partnerId: partner.partnerId } });
    expect(withdrawals.map((w) => [w.amount.toFixed(2), w.bankAccount])).toEqual([
      ['500.00', '40702810938000000001'],
    ]);
  });
});
