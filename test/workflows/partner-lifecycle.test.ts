import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { addDays } from '../../domain/calendar/production-calendar';
import { exitDateFor, exitMonthOf } from '../../domain/lifecycle';
import type { Database } from '../../prisma/client';
import {
  monthCloseWorkflow,
  partnerExitWorkflow,
  partnerRevocationWorkflow,
} from '../../workflows';
import { monthCloseWorkflowId } from '../../workflows/month-close.contracts';
import {
  exitNoticeStateQuery,
  partnerExitWorkflowId,
  withdrawExitNoticeUpdate,
  type PartnerExitState,
} from '../../workflows/partner-exit.contracts';
import { partnerRevocationWorkflowId } from '../../workflows/partner-revocation.contracts';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { recordHistory } from '../support/histories';
import { consumeLine, createPartner } from '../support/fixtures';

/** The exit notice and revocation on the time-skipping server: 30 days pass in seconds. */
const DAY = 24 * 60 * 60 * 1000;

describe('partner exit notice and revocation', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('lifecycle');
  const tag = randomUUID().slice(0, 8);

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

  let seq = 0;
  const consume = (accountId: string, date: string, amount: string, grants = '0') =>
    consumeLine(db, { sourceId: `life-${tag}-${(seq += 1)}`, accountId, date, amount, grants });

  async function closeMonth(month: string) {
    const handle = await env.client.workflow.start(monthCloseWorkflow, {
      taskQueue,
      workflowId: `${monthCloseWorkflowId(month)}:${tag}:${randomUUID().slice(0, 4)}`,
      args: [{ month }],
    });
    await waitUntilClosed(handle);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  }

  const invoicesOf = (partnerId: string) =>
    db.invoice.findMany({
      where: { partnerId },
      include: { lines: { orderBy: { position: 'asc' } } },
      orderBy: [{ month: 'asc' }, { issuedAt: 'asc' }],
    });

  it('leaves 30 days after a notice without a date: final settlement of the partial month, links end, rebates paid out', async () => {
    const partner = await partnerWithDeal();
    const [customer] = partner.customerIds as [string];
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `credit:${partner.partnerId}`,
        kind: 'project_rebate',
        amount: '1234.56',
        month: '2026-09',
      },
    });
    // The bank account of the agreement: without it the payout would be held (final-payout.test.ts).
    await db.billingAccount.update({
      where: { id: partner.ownAccountId },
      data: { bik: '044525225', settlementAccount: '40702810938000000001' },
    });
    const { handle, exitDate, exitAt } = await giveNotice(partner.partnerId);
    const leaving = await waitForStatus(partner.partnerId, 'leaving');
    expect(isoDay(leaving.exitDate)).toBe(exitDate);
    // The partial month runs from its 1st to the day before the exit date.
    const month = exitMonthOf(exitDate);
    const lastDay = addDays(exitDate, -1);
    await consume(customer, `${month}-01`, '1000.00', '100.00');
    await consume(customer, lastDay, '500.00');
    await consume(partner.ownAccountId, `${month}-01`, '300.00');
    await consume(customer, exitDate, '700.00'); // after the exit: no longer the partner's

    await env.sleep(Date.parse(exitAt) - (await env.currentTimeMs()) - 60_000);
    expect((await db.partner.findUniqueOrThrow({ where: { id: partner.partnerId } })).status).toBe(
      'leaving',
    );
    await env.sleep(2 * 60_000);
    const exited = await closedState(handle);
    await recordHistory('partner-exit', handle);
    expect(exited.status).toBe('exited');

    const left = await db.partner.findUniqueOrThrow({
      where: { id: partner.partnerId },
      include: { memberships: true },
    });
    expect(left).toMatchObject({ status: 'left', endReason: 'exit notice' });
    expect(left.memberships.map((m) => isoDay(m.endDate))).toEqual([lastDay]);
    const deals = await db.deal.findMany({ where: { partnerId: partner.partnerId } });
    expect(deals.map((d) => isoDay(d.endDate))).toEqual([lastDay]);

    // The final invoice covers the 1st to the last day, and not the exit date's 700.00.
    // Consumption 1000 + 500 + 300 (own) = 1800.00, grants 100.00.
    // Eligible (1000 − 100) + 500 = 1400.00: base bonus 10% = 140.00, deal uplift 5% = 70.00.
    // Payable 1800 − 100 − 210 = 1490.00; VAT 22% contained: 1490 × 0.22 / 1.22 = 268.688… → 268.69.
    const [final] = await invoicesOf(partner.partnerId);
    expect({
      kind: final?.kind,
      month: final?.month,
      consumption: final?.consumptionTotal.toFixed(2),
      grants: final?.grantsTotal.toFixed(2),
      eligible: final?.eligibleBase.toFixed(2),
      discount: final?.discountTotal.toFixed(2),
      payable: final?.payable.toFixed(2),
      vat: final?.vatAmount.toFixed(2),
    }).toEqual({
      kind: 'final',
      month,
      consumption: '1800.00',
      grants: '100.00',
      eligible: '1400.00',
      discount: '210.00',
      payable: '1490.00',
      vat: '268.69',
    });
    expect(final?.lines.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual(
      expect.arrayContaining([
        ['base_bonus', '-140.00'],
        ['deal_uplift', '-70.00'],
      ]),
    );
    expect(exited.final).toEqual({
      month,
      invoice: { number: final?.number, payable: '1490.00' },
      commissionStatement: null,
      rebatePayout: '1234.56',
    });

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

    // The partner is told, and every status change is audited.
    const notes = await db.notification.findMany({
      where: { organizationId: partner.organizationId },
      orderBy: { createdAt: 'asc' },
    });
    expect(notes.map((n) => n.kind)).toEqual(['exit_notice_received', 'partner_left']);
    expect(notes[1]?.body).toContain('1490.00');
    expect(notes[1]?.body).toContain('1234.56');
    const audit = await db.auditEvent.findMany({
      where: { entityType: 'partner', entityId: partner.partnerId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor, a.fromState, a.toState])).toEqual([
      ['notice', 'user-partner', 'active', 'leaving'],
      ['exit', 'system:partner-exit', 'leaving', 'left'],
    ]);

    // Consumption of the partial month arriving after the exit goes to the month's invoice:
    // 50.00 − 10% − 5% = 42.50. The exit date's 700.00 is never the partner's.
    await consume(customer, lastDay, '50.00');
    await closeMonth(month);
    // Later still, 20.00 for the last day: an adjustment in the next month's close,
    // 20.00 − 10% − 5% = 17.00, though the partner is no VAR member that month.
    await consume(customer, lastDay, '20.00');
    const nextMonth = addDays(`${month}-28`, 7).slice(0, 7);
    await closeMonth(nextMonth);
    await closeMonth(nextMonth); // a rerun changes nothing
    const invoices = await invoicesOf(partner.partnerId);
    expect(invoices.map((i) => [i.month, i.kind, i.payable.toFixed(2)])).toEqual([
      [month, 'final', '1490.00'],
      [month, 'monthly', '42.50'],
      [nextMonth, 'monthly', '17.00'],
    ]);
    // The month's own lines are zero; the late 20.00 and its bonus are adjustment lines.
    const nonZero = invoices[2]?.lines.filter((l) => !l.amount.isZero());
    expect(nonZero?.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual([
      ['adjustment', '20.00'],
      ['adjustment', '-2.00'],
      ['adjustment', '-1.00'],
    ]);
  });

  it('refuses a notice 29 days ahead before recording anything', async () => {
    const partner = await partnerWithDeal();
    const noticeAt = new Date(await env.currentTimeMs()).toISOString();
    const { exitDate: earliest } = exitDateFor({ noticeAt });
    const exitDate = addDays(earliest, -1);
    const handle = await env.client.workflow.start(partnerExitWorkflow, {
      taskQueue,
      workflowId: partnerExitWorkflowId(partner.partnerId),
      args: [
        {
          partnerId: partner.partnerId,
          requestedBy: 'user-partner',
          noticeAt,
          exitDate,
          exitAt: `${exitDate}T00:00:00+03:00`,
        },
      ],
    });
    await waitUntilClosed(handle);
    const failure = await handle.result().catch((error: unknown) => error);
    expect(String((failure as { cause?: Error }).cause?.message)).toContain(
      `must be on or after ${earliest}`,
    );
    const row = await db.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    expect(row).toMatchObject({ status: 'active', exitDate: null });
    expect(
      await db.auditEvent.count({ where: { entityType: 'partner', entityId: partner.partnerId } }),
    ).toBe(0);
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
    await recordHistory('partner-revocation', revocation);
    await recordHistory('partner-exit-superseded', handle);
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
    // Exactly one final invoice and one notice of leaving, as without the restart.
    const invoices = await db.invoice.findMany({ where: { partnerId: partner.partnerId } });
    expect(invoices.map((i) => i.kind)).toEqual(['final']);
    const notes = await db.notification.findMany({
      where: { organizationId: partner.organizationId },
    });
    expect(notes.map((n) => n.kind).sort()).toEqual(['exit_notice_received', 'partner_left']);
    // Stopping a worker and starting one (which bundles the workflows again) takes most of a
    // minute on a busy 2-core machine; the default 60 s made this test flaky in CI.
  }, 180_000);
});
