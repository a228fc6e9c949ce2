import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { sumMoney } from '../../domain/money';
import type { Database } from '../../prisma/client';
import { monthCloseWorkflow } from '../../workflows';
import { testConfig, testDatabase, timeSkippingEnvironment, uniqueTaskQueue } from '../support/env';
import { createPartner } from '../support/fixtures';

/**
 * The VAR month-end close with its real activities and the test database. Months of 2025
 * are used only here, so other test files' partners never take part.
 */
describe('monthCloseWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('month-close');
  const tag = randomUUID().slice(0, 6);
  const partnerId = randomUUID();
  const own = `own-${tag}`;
  const c1 = `c1-${tag}`;
  const c2 = `c2-${tag}`;
  const dealId = randomUUID();
  const projectId = randomUUID();
  let seq = 0;

  async function consume(
    account: string,
    date: string,
    service: string,
    amount: string,
    grant = '0',
    cloud = 'cloud-a',
  ) {
    seq += 1;
    await db.consumptionLine.create({
      data: {
        sourceId: `src-${tag}-${seq}`,
        billingAccountId: account,
        cloudId: cloud,
        folderId: 'folder-1',
        serviceId: service,
        sku: `${service}.sku`,
        usageDate: new Date(`${date}T00:00:00Z`),
        amount,
        grantAmount: grant,
      },
    });
  }

  let recorded = false;
  const plainClient = () =>
    new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });

  /**
   * Where a recorded history goes. Recorded histories are never overwritten: with
   * RECORD_HISTORIES=<tag> (anything but 1) they are written beside the old ones, as
   * `<name>-<tag>.json`.
   */
  const historyFile = (name: string) => {
    const tag = process.env.RECORD_HISTORIES;
    return path.join(
      __dirname,
      '..',
      'replay',
      'histories',
      tag && tag !== '1' ? `${name}-${tag}.json` : `${name}.json`,
    );
  };

  /** Runs a close; with RECORD_HISTORIES set, keeps the first October run for the replay test. */
  async function close(month: string, id = `close-${month}-${randomUUID().slice(0, 6)}`) {
    // A plain client: awaiting a result through the time-skipping client lets the test
    // server's clock leap (by years, seen here) and time out concurrent runs. The close has
    // no timers, so it needs no skipping.
    const handle = await plainClient().workflow.start(monthCloseWorkflow, {
      taskQueue,
      workflowId: id,
      args: [{ month }],
    });
    const result = await handle.result();
    if (process.env.RECORD_HISTORIES && month === '2025-10' && !recorded) {
      recorded = true;
      const history = temporal.api.history.v1.History.create(await handle.fetchHistory());
      const json = temporal.api.history.v1.History.toObject(history, {
        longs: String,
        enums: String,
        bytes: String,
      });
      fs.writeFileSync(historyFile('month-close'), JSON.stringify(json, null, 1));
    }
    return result;
  }

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ db, config }),
    });
    running = worker.run();

    const account = (id: string, parentId: string | null) => ({
      id,
      organizationId: `org-close-${tag}`,
      name: id,
      type: 'business' as const,
      ownerResident: true,
      paymentMethod: 'invoice' as const,
      parentId,
    });
    await db.billingAccount.createMany({
      data: [account(own, null), account(c1, own), account(c2, own)],
    });
    await db.partner.create({
      data: {
        id: partnerId,
        organizationId: `org-close-${tag}`,
        applicationId: randomUUID(),
        name: 'ООО «Закрытие месяца»',
        billingAccountId: own,
        taxationType: 'general_with_vat',
        startDate: new Date('2025-01-01T00:00:00Z'),
        approvedBy: 'user-maria',
        memberships: { create: [{ program: 'var', startDate: new Date('2025-01-01T00:00:00Z') }] },
      },
    });
    await db.deal.create({
      data: {
        id: dealId,
        partnerId,
        customerAccountId: c1,
        upliftRate: '0.05',
        startDate: new Date('2025-10-16T00:00:00Z'),
        registeredBy: 'user-maria',
      },
    });
    await db.project.create({
      data: {
        id: projectId,
        partnerId,
        scope: 'cloud',
        cloudId: `cloud-c2-${tag}`,
        baselineMonthly: '100.00',
        rate: '0.10',
        registeredOn: new Date('2025-08-15T00:00:00Z'),
        registeredBy: 'user-maria',
      },
    });
    await consume(c1, '2025-10-05', 'compute', '1000.00', '100.00');
    await consume(c1, '2025-10-05', 'marketplace', '200.00');
    await consume(c1, '2025-10-20', 'compute', '500.00');
    await consume(c2, '2025-10-10', 'object-storage', '300.00', '0', `cloud-c2-${tag}`);
    await consume(own, '2025-10-07', 'compute', '400.00');
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  it('issues the partner’s October invoice to the kopeck, every line explained', async () => {
    const result = await close('2025-10');
    expect(result.month).toBe('2025-10');
    const invoice = await db.invoice.findUniqueOrThrow({
      where: {
        partnerId_month_kind_sequence: {
          partnerId,
          month: '2025-10',
          kind: 'monthly',
          sequence: 0,
        },
      },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    // Consumption 1000 + 200 + 500 + 300 (customers) + 400 (own) = 2400.00; grants 100.00.
    // Eligible: (1000 − 100) + 500 + 300 = 1700.00 (Marketplace and own consumption excluded).
    // Base bonus 10% × 1700 = 170.00; deal uplift 5% × 500 (linked from 16 Oct) = 25.00.
    // Payable 2400 − 100 − 195 = 2105.00; VAT 20% contained: 2105 × 0.2 / 1.2 = 350.833… → 350.83.
    expect({
      consumption: invoice.consumptionTotal.toFixed(2),
      grants: invoice.grantsTotal.toFixed(2),
      eligible: invoice.eligibleBase.toFixed(2),
      discount: invoice.discountTotal.toFixed(2),
      payable: invoice.payable.toFixed(2),
      vatRate: invoice.vatRate.toString(),
      vat: invoice.vatAmount.toFixed(2),
    }).toEqual({
      consumption: '2400.00',
      grants: '100.00',
      eligible: '1700.00',
      discount: '195.00',
      payable: '2105.00',
      vatRate: '0.2',
      vat: '350.83',
    });
    const byKind = Object.fromEntries(invoice.lines.map((l) => [l.kind, l]));
    expect(byKind.base_bonus?.amount.toFixed(2)).toBe('-170.00');
    expect(byKind.base_bonus?.rule).toMatch(/10%/);
    expect(byKind.deal_uplift).toMatchObject({ dealId });
    expect(byKind.deal_uplift?.amount.toFixed(2)).toBe('-25.00');
    expect(sumMoney(invoice.lines.map((l) => l.amount.toFixed(2))).toFixed(2)).toBe('2105.00');

    // Project growth in cloud-c2: 300 − 100 baseline = 200 × 10% = 20.00 to the rebate balance.
    const rebates = await db.rebateLedgerEntry.findMany({ where: { partnerId } });
    expect(rebates.map((r) => [r.kind, r.amount.toFixed(2), r.projectId])).toEqual([
      ['project_rebate', '20.00', projectId],
    ]);
    const closeRow = await db.monthClose.findUniqueOrThrow({ where: { month: '2025-10' } });
    expect(closeRow.status).toBe('completed');
  });

  it('changes nothing when a closed month is closed again, even twice at once', async () => {
    const before = await db.invoice.findMany({ where: { partnerId, month: '2025-10' } });
    const [a, b] = await Promise.all([close('2025-10'), close('2025-10')]);
    expect(a.invoicesCreated + b.invoicesCreated).toBe(0);
    const after = await db.invoice.findMany({ where: { partnerId, month: '2025-10' } });
    expect(after).toEqual(before);
    expect(await db.rebateLedgerEntry.count({ where: { partnerId, month: '2025-10' } })).toBe(1);
  });

  it('settles consumption that arrives late for a closed month as an adjustment next month', async () => {
    await consume(c1, '2025-10-25', 'compute', '100.00');
    await close('2025-11');
    const october = await db.invoice.findFirstOrThrow({ where: { partnerId, month: '2025-10' } });
    expect(october.payable.toFixed(2)).toBe('2105.00'); // the issued document is never rewritten
    const november = await db.invoice.findFirstOrThrow({
      where: { partnerId, month: '2025-11' },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    // Late: 100.00 eligible on a linked day → base bonus 10.00 and uplift 5.00: payable 85.00.
    // VAT 20%: 85 × 0.2 / 1.2 = 14.1666… → 14.17.
    expect(november.payable.toFixed(2)).toBe('85.00');
    expect(november.vatAmount.toFixed(2)).toBe('14.17');
    const adjustments = november.lines.filter((l) => l.kind === 'adjustment');
    expect(adjustments.map((l) => l.amount.toFixed(2)).sort()).toEqual([
      '-10.00',
      '-5.00',
      '100.00',
    ]);
    expect(
      adjustments.every((l) => (l.details as { forMonth?: string }).forMonth === '2025-10'),
    ).toBe(true);
  });

  it('draws an advance partner’s prepaid balance, applies a withdrawal to bonus and credits the quarter’s specialization rebate', async () => {
    const advance = await createPartner(db, {
      tag: `adv-${tag}`,
      name: 'АО «Аванс»',
      memberSince: '2025-01-01',
      paymentModel: 'advance',
    });
    const p2 = advance.partnerId;
    const k2 = advance.customerIds[0] as string;
    await db.specialization.create({
      data: {
        partnerId: p2,
        code: 'data-platform',
        rate: '0.05',
        serviceIds: ['managed-postgresql'],
        validFrom: new Date('2025-01-01T00:00:00Z'),
      },
    });
    await db.advanceLedgerEntry.create({
      data: { partnerId: p2, idempotencyKey: `topup-${tag}`, amount: '1000.00' },
    });
    // 300.00 of rebates earlier; 200.00 of it withdrawn to bonus for December.
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: p2,
        idempotencyKey: `credit-${tag}`,
        kind: 'project_rebate',
        amount: '300.00',
        month: '2025-11',
      },
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: p2,
        idempotencyKey: `wd-${tag}`,
        kind: 'withdrawal_to_bonus',
        amount: '-200.00',
        month: '2025-12',
      },
    });
    await db.withdrawal.create({
      data: {
        id: randomUUID(),
        partnerId: p2,
        idempotencyKey: `${p2}:wd-1`,
        target: 'bonus',
        amount: '200.00',
        month: '2025-12',
        requestedBy: 'user-p2',
      },
    });
    await consume(k2, '2025-12-05', 'managed-postgresql', '1000.00');
    await consume(k2, '2025-12-06', 'compute', '500.00', '100.00');

    await close('2025-12');
    const invoice = await db.invoice.findFirstOrThrow({
      where: { partnerId: p2, month: '2025-12' },
      include: { lines: true },
    });
    // Consumption 1500.00, grants 100.00, eligible 1000 + 400 = 1400.00, bonus 10% = 140.00.
    // Withdrawal to bonus 200.00: payable 1500 − 100 − 140 − 200 = 1060.00.
    // VAT 20% contained: 1060 × 0.2 / 1.2 = 176.666… → 176.67. The advance covers 1000.00.
    expect({
      payable: invoice.payable.toFixed(2),
      vat: invoice.vatAmount.toFixed(2),
      advance: invoice.advanceCovered.toFixed(2),
      withdrawal: invoice.lines.find((l) => l.kind === 'rebate_withdrawal')?.amount.toFixed(2),
    }).toEqual({ payable: '1060.00', vat: '176.67', advance: '1000.00', withdrawal: '-200.00' });
    const prepaid = await db.advanceLedgerEntry.aggregate({
      where: { partnerId: p2 },
      _sum: { amount: true },
    });
    expect(prepaid._sum.amount?.toFixed(2)).toBe('0.00');

    // Quarter end: 5% of the customers' eligible Managed PostgreSQL consumption in Q4 (1000.00) = 50.00.
    const ledger = await db.rebateLedgerEntry.findMany({
      where: { partnerId: p2 },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([
      ['project_rebate', '300.00'],
      ['withdrawal_to_bonus', '-200.00'],
      ['specialization_rebate', '50.00'],
    ]);
  });

  it('a scheduled run closes the earlier open months first, in order, then its own', async () => {
    // The newest close is 2025-12; February and April 2026 have consumption and no close.
    await consume(c1, '2026-02-10', 'compute', '200.00');
    await consume(c1, '2026-04-03', 'compute', '300.00');
    const handle = await plainClient().workflow.start(monthCloseWorkflow, {
      taskQueue,
      workflowId: `close-scheduled-${tag}`,
      args: [{}],
    });
    const result = await handle.result();
    if (process.env.RECORD_HISTORIES) {
      const history = temporal.api.history.v1.History.create(await handle.fetchHistory());
      fs.writeFileSync(
        historyFile('month-close-catch-up'),
        JSON.stringify(
          temporal.api.history.v1.History.toObject(history, {
            longs: String,
            enums: String,
            bytes: String,
          }),
          null,
          1,
        ),
      );
    }
    // Without a scheduled time the run settles the month before its start, in Moscow (the
    // test server's clock decides which).
    const target = result.month;
    expect(target > '2026-04').toBe(true);
    expect(result.caughtUp).toEqual(['2026-02', '2026-04']);
    const closes = await db.monthClose.findMany({ orderBy: { month: 'asc' } });
    expect(closes.map((c) => [c.month, c.status, c.reconciliationDifference?.toString()])).toEqual([
      ['2025-10', 'completed', '0'],
      ['2025-11', 'completed', '0'],
      ['2025-12', 'completed', '0'],
      ['2026-02', 'completed', '0'],
      ['2026-04', 'completed', '0'],
      [target, 'completed', '0'],
    ]);
    // February: 200.00 − 10% × 200.00 − 5% × 200.00 (c1's deal) = 170.00.
    const february = await db.invoice.findFirstOrThrow({ where: { partnerId, month: '2026-02' } });
    expect(february.payable.toFixed(2)).toBe('170.00');
  });
});
