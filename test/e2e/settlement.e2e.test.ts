import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { monthInMoscow, previousMonthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { MONTH_CLOSE_SCHEDULE_ID } from '../../workflows/month-close.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner } from '../support/fixtures';

/**
 * The month-end close on the Temporal dev server: the schedule registered by the worker,
 * its action run now for the previous month, the on-demand close through the API, and the
 * running invoice of the current month.
 */
describe('month-end close through the schedule and the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-close') });
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let client: Client;
  let connection: Connection;
  const tag = randomUUID().slice(0, 6);
  const organizationId = `org-close-e2e-${tag}`;
  const partnerId = randomUUID();
  const own = `own-e2e-${tag}`;
  const customer = `cust-e2e-${tag}`;
  const tokens = { partner: '', finance: '', billing: '', thresholdPartner: '' };
  const now = new Date();
  const currentMonth = monthInMoscow(now.toISOString());
  const previousMonth = previousMonthInMoscow(now.toISOString());
  let seq = 0;

  async function consume(account: string, date: string, amount: string, service = 'compute') {
    seq += 1;
    await db.consumptionLine.create({
      data: {
        sourceId: `e2e-${tag}-${seq}`,
        billingAccountId: account,
        cloudId: 'cloud-1',
        folderId: 'folder-1',
        serviceId: service,
        sku: 'compute.vcpu',
        usageDate: new Date(`${date}T00:00:00Z`),
        amount,
      },
    });
  }

  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    const account = (id: string, parentId: string | null) => ({
      id,
      organizationId,
      name: id,
      type: 'business' as const,
      ownerResident: true,
      paymentMethod: 'invoice' as const,
      parentId,
    });
    await db.billingAccount.createMany({ data: [account(own, null), account(customer, own)] });
    await db.partner.create({
      data: {
        id: partnerId,
        organizationId,
        applicationId: randomUUID(),
        name: 'ООО «Расписание»',
        billingAccountId: own,
        taxationType: 'general_with_vat',
        startDate: new Date(`${previousMonth}-01T00:00:00Z`),
        approvedBy: 'user-maria',
        memberships: {
          create: [{ program: 'var', startDate: new Date(`${previousMonth}-01T00:00:00Z`) }],
        },
      },
    });
    await consume(customer, `${previousMonth}-10`, '1000.00');
    await consume(own, `${previousMonth}-11`, '50.00');

    worker = await startWorker(config);
    api = await startApi(config, { port: 0 });
    connection = await Connection.connect({ address: config.temporal.address as string });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId,
    });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.billing = await issuer.issue({ subject: 'billing-system', role: 'billing-system' });
    tokens.thresholdPartner = await issuer.issue({
      subject: `user-t-${tag}`,
      role: 'partner',
      organizationId: `org-${tag}-t`,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await connection?.close();
    await db?.$disconnect();
  });

  it('registers the schedule: 00:00 on the 1st, Moscow time, closing the previous month', async () => {
    const description = await client.schedule.getHandle(MONTH_CLOSE_SCHEDULE_ID).describe();
    expect(description.spec.timezone).toBe('Europe/Moscow');
    expect(description.spec.calendars?.[0]).toMatchObject({
      dayOfMonth: [{ start: 1, end: 1, step: 1 }],
      hour: [{ start: 0, end: 0, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'monthCloseWorkflow',
    });
  });

  it('closes the previous month when the schedule’s action runs', async () => {
    await client.schedule.getHandle(MONTH_CLOSE_SCHEDULE_ID).trigger();
    let invoices: { items: { month: string; payable: string; consumptionTotal: string }[] } = {
      items: [],
    };
    for (let i = 0; i < 150 && invoices.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      invoices = (await call<typeof invoices>('GET', '/v1/partners/me/invoices', tokens.partner))
        .body;
    }
    // 1000.00 (customer) + 50.00 (own) − 10% × 1000 = 950.00.
    expect(invoices.items).toEqual([
      expect.objectContaining({
        month: previousMonth,
        consumptionTotal: '1050.00',
        payable: '950.00',
      }),
    ]);
  });

  it('lets finance close a month on demand and follow it; a rerun changes nothing', async () => {
    const started = await call<{ workflowId: string }>('POST', '/v1/closes', tokens.finance, {
      month: previousMonth,
    });
    expect(started.status).toBe(202);
    let status = { status: '', invoices: 0 };
    for (let i = 0; i < 100 && status.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await call<typeof status>('GET', `/v1/closes/${previousMonth}`, tokens.finance))
        .body;
    }
    expect(status.status).toBe('completed');
    const invoices = await db.invoice.count({ where: { partnerId } });
    expect(invoices).toBe(1);

    const current = await call<{ errors: { field: string }[] }>(
      'POST',
      '/v1/closes',
      tokens.finance,
      {
        month: currentMonth,
      },
    );
    expect(current.status).toBe(422);
    expect(current.body.errors[0]?.field).toBe('month');
    expect(
      (await call('POST', '/v1/closes', tokens.partner, { month: previousMonth })).status,
    ).toBe(403);
  });

  it('shows the running invoice of the current month, computed by the close’s rules', async () => {
    await consume(customer, `${currentMonth}-01`, '200.00');
    await consume(customer, `${currentMonth}-01`, '80.00', 'marketplace');
    const preview = await call<{
      month: string;
      issued: boolean;
      totals: { payable: string; discountTotal: string };
      lines: { kind: string; rule: string; params: Record<string, string> }[];
    }>('GET', '/v1/partners/me/invoices/preview', tokens.partner);
    // 200 + 80 = 280.00; bonus 10% × 200 (Marketplace excluded) = 20.00; payable 260.00.
    expect(preview.body).toMatchObject({
      month: currentMonth,
      issued: false,
      totals: { payable: '260.00', discountTotal: '20.00' },
    });
    // Each line names its figures, so the portal can word it in the reader's language.
    expect(preview.body.lines.find((line) => line.kind === 'base_bonus')).toMatchObject({
      rule: '10% base bonus on eligible consumption',
      params: { month: currentMonth, rate: '0.1', percent: '10', base: '200.00' },
    });
  });

  it('issues an interim invoice at once when a postpaid partner crosses its billing threshold', async () => {
    const fixture = await createPartner(db, {
      tag: `${tag}-t`,
      name: 'ООО «Порог»',
      memberSince: `${previousMonth}-01`,
      billingThreshold: '1000.00',
    });
    const thresholdPartner = fixture.partnerId;
    const custT = fixture.customerIds[0] as string;
    let n = 0;
    const batch = (amount: string) =>
      call<{ inserted: number }>('POST', '/v1/consumption/batches', tokens.billing, {
        lines: [
          {
            sourceId: `t-${tag}-${++n}`,
            billingAccountId: custT,
            cloudId: 'cloud-t',
            folderId: 'folder-t',
            serviceId: 'compute',
            sku: 'compute.vcpu',
            usageDate: `${currentMonth}-01`,
            amount,
            grantAmount: '0',
          },
        ],
      });
    const interim = () =>
      db.invoice.findMany({ where: { partnerId: thresholdPartner, kind: 'interim' } });

    expect((await batch('600.00')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await interim()).toHaveLength(0); // 600.00 is below the 1000.00 threshold

    expect((await batch('500.00')).status).toBe(200);
    let issued = await interim();
    for (let i = 0; i < 50 && issued.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      issued = await interim();
    }
    // 600 + 500 = 1100.00 crossed 1000.00: bonus 10% = 110.00, payable 990.00.
    expect(
      issued.map((i) => [i.sequence, i.consumptionTotal.toFixed(2), i.payable.toFixed(2)]),
    ).toEqual([[1, '1100.00', '990.00']]);

    // The running month-end invoice covers only what the interim invoice did not.
    await batch('200.00');
    await new Promise((r) => setTimeout(r, 1000));
    const preview = await call<{ totals: { consumptionTotal: string; payable: string } }>(
      'GET',
      '/v1/partners/me/invoices/preview',
      tokens.thresholdPartner,
    );
    expect(preview.body.totals).toMatchObject({ consumptionTotal: '200.00', payable: '180.00' });
    expect(await interim()).toHaveLength(1);
  });
});
