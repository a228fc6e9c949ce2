import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { exitDateFor } from '../../domain/lifecycle';
import type { Database } from '../../prisma/client';
import { partnerExitWorkflow, partnerRevocationWorkflow } from '../../workflows';
import {
  exitNoticeStateQuery,
  partnerExitWorkflowId,
  partnerRevocationWorkflowId,
  withdrawExitNoticeUpdate,
  type PartnerExitState,
} from '../../workflows/contracts';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { createPartner } from '../support/fixtures';

/** The exit notice and revocation on the time-skipping server: 30 days pass in seconds. */
const DAY = 24 * 60 * 60 * 1000;

describe('partner exit notice and revocation', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('lifecycle');

  async function startWorker(): Promise<void> {
    ({ worker, running } = await startTestWorker(env, {
      taskQueue,
      activities: createActivities({ db, config }),
    }));
  }

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  async function partnerWithDeal() {
    const partner = await createPartner(db, {
      tag: `life-${randomUUID().slice(0, 8)}`,
      name: 'ООО «Уход»',
      memberSince: '2026-01-01',
    });
    await db.deal.create({
      data: {
        id: randomUUID(),
        partnerId: partner.partnerId,
        customerAccountId: partner.customerIds[0] as string,
        upliftRate: '0.05',
        startDate: new Date('2026-02-01T00:00:00Z'),
        registeredBy: 'user-maria',
      },
    });
    return partner;
  }

  async function giveNotice(partnerId: string) {
    const noticeAt = new Date(await env.currentTimeMs()).toISOString();
    const { exitDate, exitAt } = exitDateFor({ noticeAt });
    const handle = await env.client.workflow.start(partnerExitWorkflow, {
      taskQueue,
      workflowId: partnerExitWorkflowId(partnerId),
      args: [{ partnerId, requestedBy: 'user-partner', noticeAt, exitDate, exitAt }],
    });
    return { handle, exitDate, exitAt };
  }

  async function closedState(handle: WorkflowHandle): Promise<PartnerExitState> {
    await waitUntilClosed(handle);
    return handle.query(exitNoticeStateQuery);
  }

  async function waitForStatus(partnerId: string, status: string) {
    for (let i = 0; i < 200; i++) {
      const row = await db.partner.findUniqueOrThrow({ where: { id: partnerId } });
      if (row.status === status) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`partner never became ${status}`);
  }

  const isoDay = (d: Date | null | undefined) => d?.toISOString().slice(0, 10) ?? null;

  it('leaves 30 days after a notice without a date: memberships and customer links end, rebates paid out', async () => {
    const partner = await partnerWithDeal();
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `credit:${partner.partnerId}`,
        kind: 'project_rebate',
        amount: '1234.56',
        month: '2026-09',
      },
    });
    const { handle, exitDate, exitAt } = await giveNotice(partner.partnerId);
    const leaving = await waitForStatus(partner.partnerId, 'leaving');
    expect(isoDay(leaving.exitDate)).toBe(exitDate);

    await env.sleep(Date.parse(exitAt) - (await env.currentTimeMs()) - 60_000);
    expect((await db.partner.findUniqueOrThrow({ where: { id: partner.partnerId } })).status).toBe(
      'leaving',
    );
    await env.sleep(2 * 60_000);
    expect((await closedState(handle)).status).toBe('exited');

    const left = await db.partner.findUniqueOrThrow({
      where: { id: partner.partnerId },
      include: { memberships: true },
    });
    const lastDay = new Date(Date.parse(`${exitDate}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    expect(left).toMatchObject({ status: 'left', endReason: 'exit notice' });
    expect(left.memberships.map((m) => isoDay(m.endDate))).toEqual([lastDay]);
    const deals = await db.deal.findMany({ where: { partnerId: partner.partnerId } });
    expect(deals.map((d) => isoDay(d.endDate))).toEqual([lastDay]);

    // The rebate balance of 1234.56 is paid out to the bank once: the balance is 0.00.
    const ledger = await db.rebateLedgerEntry.findMany({
      where: { partnerId: partner.partnerId },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([
      ['project_rebate', '1234.56'],
      ['final_payout', '-1234.56'],
    ]);
    const payouts = await db.withdrawal.findMany({ where: { partnerId: partner.partnerId } });
    expect(payouts.map((w) => [w.target, w.amount.toFixed(2)])).toEqual([['bank', '1234.56']]);
  });

  it('keeps the partner active after the date when the notice is withdrawn', async () => {
    const partner = await partnerWithDeal();
    const { handle } = await giveNotice(partner.partnerId);
    await waitForStatus(partner.partnerId, 'leaving');
    await env.sleep(10 * DAY);
    const withdrawn = await handle.executeUpdate(withdrawExitNoticeUpdate, {
      args: [{ actor: 'user-partner' }],
    });
    expect(withdrawn.status).toBe('withdrawn');
    await env.sleep(25 * DAY);
    const row = await db.partner.findUniqueOrThrow({
      where: { id: partner.partnerId },
      include: { memberships: true },
    });
    expect(row).toMatchObject({ status: 'active', exitDate: null });
    expect(row.memberships.map((m) => m.endDate)).toEqual([null]);
    await expect(
      handle.executeUpdate(withdrawExitNoticeUpdate, { args: [{ actor: 'user-partner' }] }),
    ).rejects.toThrow();
  });

  it('ends everything at once when a manager revokes during an open notice', async () => {
    const partner = await partnerWithDeal();
    const { handle } = await giveNotice(partner.partnerId);
    await waitForStatus(partner.partnerId, 'leaving');
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const revocation = await env.client.workflow.start(partnerRevocationWorkflow, {
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
    const revoked = await waitForStatus(partner.partnerId, 'revoked');
    expect(revoked.endReason).toBe('breach of the agreement');
    expect((await closedState(handle)).status).toBe('superseded');
    await waitUntilClosed(revocation);
    expect((await revocation.describe()).status.name).toBe('COMPLETED');
    const lastDay = new Date(Date.parse(`${today}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    const memberships = await db.programMembership.findMany({
      where: { partnerId: partner.partnerId },
    });
    expect(memberships.map((m) => isoDay(m.endDate))).toEqual([lastDay]);
  });

  it('carries on after the worker restarts during the 30-day wait', async () => {
    const partner = await partnerWithDeal();
    const { handle, exitAt } = await giveNotice(partner.partnerId);
    await waitForStatus(partner.partnerId, 'leaving');
    worker.shutdown();
    await running;
    await startWorker();
    await env.sleep(Date.parse(exitAt) - (await env.currentTimeMs()) + 60_000);
    expect((await closedState(handle)).status).toBe('exited');
    await waitForStatus(partner.partnerId, 'left');
  });
});
