import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { MONTH_CLOSE_WORKFLOW_TYPE } from '../../workflows/month-close.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * Faults of concurrency: two closes of one month racing, one consumption batch sent twice at
 * once, one withdrawal retried at once. Each must count once. May 2022 is this file's own
 * month: its partners are members for that month only.
 */
describe('concurrent triggers count once', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('faults') });
  const month = '2022-05';
  const stamp = Date.now().toString(36);
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let partners: PartnerFixture[];
  const call = apiClient(() => api.url);
  const tokens = { billing: '', partner: '' };

  beforeAll(async () => {
    db = testDatabase();
    partners = [];
    for (let i = 0; i < 6; i++) {
      partners.push(
        await createPartner(db, {
          tag: `fault-${stamp}-${i}`,
          name: `ООО «Гонка ${i}»`,
          customers: 2,
          memberSince: `${month}-01`,
          memberUntil: `${month}-31`,
        }),
      );
    }
    let seq = 0;
    await db.consumptionLine.createMany({
      data: partners.flatMap((p) =>
        p.customerIds.map((customer) => ({
          sourceId: `fault-${stamp}-${(seq += 1)}`,
          billingAccountId: customer,
          cloudId: 'cloud',
          folderId: 'folder',
          serviceId: 'compute',
          sku: 'compute.vcpu',
          usageDate: new Date(`${month}-10T00:00:00Z`),
          amount: '1000.00',
        })),
      ),
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.billing = await issuer.issue({ subject: 'billing', role: 'billing-system' });
    tokens.partner = await issuer.issue({
      subject: 'user-race',
      role: 'partner',
      organizationId: partners[0]!.organizationId,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  it('issues one invoice per partner-month when two closes of the month race', async () => {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      // Two separate workflow runs (not the API's single id): both settle every partner.
      const runs = await Promise.all(
        ['a', 'b'].map((run) =>
          client.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
            taskQueue: config.temporal.taskQueue,
            workflowId: `fault-close-${stamp}-${run}`,
            args: [{ month }],
          }),
        ),
      );
      await Promise.all(runs.map((run) => run.result()));
    } finally {
      await connection.close();
    }
    const invoices = await db.invoice.findMany({
      where: { partnerId: { in: partners.map((p) => p.partnerId) }, month },
    });
    expect(invoices).toHaveLength(partners.length);
    // 2 × 1000.00 per partner less the 10% bonus: 1800.00 each, whichever run wrote it.
    expect(invoices.map((i) => i.payable.toFixed(2))).toEqual(partners.map(() => '1800.00'));
  });

  it('counts a consumption batch once when it is sent twice at the same time', async () => {
    const customer = partners[1]!.customerIds[0]!;
    const lines = Array.from({ length: 200 }, (_, i) => ({
      sourceId: `fault-batch-${stamp}-${i}`,
      billingAccountId: customer,
      cloudId: 'cloud',
      folderId: 'folder',
      serviceId: 'compute',
      sku: 'compute.vcpu',
      usageDate: '2022-06-03',
      amount: '1.50',
      grantAmount: '0',
    }));
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        call<{ inserted: number; duplicates: number }>(
          'POST',
          '/v1/consumption/batches',
          tokens.billing,
          { lines },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((sum, a) => sum + a.body.inserted, 0)).toBe(200);
    expect(answers.reduce((sum, a) => sum + a.body.duplicates, 0)).toBe(400);
    const stored = await db.consumptionLine.aggregate({
      where: { sourceId: { startsWith: `fault-batch-${stamp}-` } },
      _count: true,
      _sum: { amount: true },
    });
    expect(stored._count).toBe(200);
    expect(stored._sum.amount?.toFixed(2)).toBe('300.00');
  });

  it('applies a withdrawal once when the same request is retried at the same time', async () => {
    const partner = partners[0]!;
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `fault-credit-${stamp}`,
        kind: 'project_rebate',
        amount: '100.00',
        month: '2022-04',
      },
    });
    const bonusKey = `retry-bonus-${randomUUID()}`;
    const bonus = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${api.url}/v1/partners/me/rebates/withdrawals`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${tokens.partner}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': bonusKey,
          },
          body: JSON.stringify({ amount: '60.00', target: 'bonus' }),
        }).then(async (res) => ({
          status: res.status,
          body: (await res.json()) as { id: string },
        })),
      ),
    );
    expect(bonus.filter((a) => a.status === 201)).toHaveLength(1);
    expect(bonus.filter((a) => a.status === 200)).toHaveLength(4);
    expect(new Set(bonus.map((a) => a.body.id)).size).toBe(1);
    const ledger = await db.rebateLedgerEntry.aggregate({
      where: { partnerId: partner.partnerId },
      _sum: { amount: true },
    });
    // 100.00 credited, 60.00 withdrawn once: 40.00 left, not 100 − 5 × 60.
    expect(ledger._sum.amount?.toFixed(2)).toBe('40.00');
  });
});
