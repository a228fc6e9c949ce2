import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { createRegistrationRepository } from '../../prisma/repositories/registration.repository';
import { startApi, type RunningApi } from '../../api/server';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { addDays, moscowDateOf } from '../../domain/calendar/production-calendar';
import { dealEndDate, renewedEndDate } from '../../domain/registrations';
import { addMonths, firstDayOf, monthOf } from '../../domain/settlement/dates';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { apiClient, consumeLine, createPartner, type PartnerFixture } from '../support/fixtures';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface Registration {
  id: string;
  partnerId: string;
  kind: 'deal' | 'project';
  status: string;
  customerAccountId: string | null;
  customerName: string | null;
  baselineDefault: string | null;
  baselineMonthly: string | null;
  reviewDeadline: string | null;
  upliftRate: string | null;
  rate: string | null;
  startDate: string | null;
  endDate: string | null;
  reason: string | null;
  renewalOf: string | null;
  events?: { actor: string; fromStatus: string | null; toStatus: string; reason: string | null }[];
}
interface Items<T> {
  items: T[];
}
interface RunningInvoice {
  totals: { discountTotal: string };
  lines: { kind: string; dealId?: string; amount: string; rate?: string }[];
}

/**
 * A partner registers deals and projects through the HTTP API; managers review them; the
 * approved deal shows on the partner's running invoice. The API and worker run in-process
 * against the test PostgreSQL and Temporal dev server.
 */
describe('deal and project registration by the partner', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-registrations') });
  const call = apiClient(() => api.url);
  let api: RunningApi;
  let worker: RunningWorker;
  let db: Database;
  let a: PartnerFixture;
  let b: PartnerFixture;
  const tokens = { a: '', b: '', manager: '', leaver: '' };
  const today = moscowDateOf(new Date());
  const tag = randomUUID().slice(0, 8);
  const CLOSED_MONTH = '2019-07';

  beforeAll(async () => {
    db = testDatabase();
    a = await createPartner(db, {
      tag: `reg-a-${tag}`,
      name: 'ООО «Первый»',
      customers: 3,
      memberSince: '2026-01-01',
    });
    b = await createPartner(db, {
      tag: `reg-b-${tag}`,
      name: 'ООО «Второй»',
      memberSince: '2026-01-01',
    });
    const leaver = await createPartner(db, {
      tag: `reg-l-${tag}`,
      name: 'ООО «Уходящий»',
      memberSince: '2026-01-01',
    });
    await db.partner.update({
      where: { id: leaver.partnerId },
      data: {
        status: 'leaving',
        exitNoticeAt: new Date(),
        exitDate: new Date(`${addDays(today, 30)}T00:00:00Z`),
      },
    });
    await db.monthClose.create({
      data: {
        month: CLOSED_MONTH,
        status: 'completed',
        watermark: 0n,
        previousWatermark: 0n,
        completedAt: new Date(),
      },
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    const partnerToken = (subject: string, organizationId: string) =>
      issuer.issue({ subject, role: 'partner', organizationId });
    tokens.a = await partnerToken('user-a', a.organizationId);
    tokens.b = await partnerToken('user-b', b.organizationId);
    tokens.leaver = await partnerToken('user-l', leaver.organizationId);
    tokens.manager = await issuer.issue({ subject: 'manager-maria', role: 'manager' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  const registrationsCount = () => db.registration.count();

  /** The review workflow stores its deadline shortly after the registration is accepted. */
  async function reviewed(id: string): Promise<Registration> {
    for (let i = 0; i < 100; i++) {
      const res = await call<Registration>('GET', `/v1/registrations/${id}`, tokens.manager);
      if (res.body.reviewDeadline) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`registration ${id} got no review deadline`);
  }

  it('a deal: submitted, listed for the partner and in the managers’ queue, approved within the cap, and the running invoice shows the uplift', async () => {
    const customer = a.customerIds[0] as string;
    const submitted = await call<Registration>(
      'POST',
      '/v1/partners/me/deal-registrations',
      tokens.a,
      {
        customerAccountId: customer,
        expectedMonthlyConsumption: '250000.00',
        description: 'Moving the ERP to the cloud',
      },
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ kind: 'deal', status: 'pending' });
    const id = submitted.body.id;

    const mine = await call<Items<Registration>>('GET', '/v1/partners/me/registrations', tokens.a);
    expect(mine.body.items.map((r) => r.id)).toContain(id);
    const theirs = await call<Items<Registration>>(
      'GET',
      '/v1/partners/me/registrations',
      tokens.b,
    );
    expect(theirs.body.items.map((r) => r.id)).not.toContain(id);
    expect((await call<Problem>('GET', `/v1/registrations/${id}`, tokens.b)).status).toBe(404);

    const pending = await reviewed(id);
    const queue = await call<Items<Registration>>(
      'GET',
      '/v1/registrations?status=pending',
      tokens.manager,
    );
    expect(queue.body.items.map((r) => r.id)).toContain(id);
    const deadlines = queue.body.items.map((r) => r.reviewDeadline ?? '9999');
    expect(deadlines).toEqual([...deadlines].sort());
    expect(Date.parse(pending.reviewDeadline ?? '')).toBeGreaterThan(Date.now());

    // Above 15 percentage points: 422, nothing approved.
    const tooHigh = await call<Problem>('POST', `/v1/registrations/${id}/approve`, tokens.manager, {
      upliftRate: '0.2',
    });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.errors?.map((e) => e.field)).toEqual(['upliftRate']);
    expect(await db.deal.count({ where: { partnerId: a.partnerId } })).toBe(0);

    const approved = await call<Registration>(
      'POST',
      `/v1/registrations/${id}/approve`,
      tokens.manager,
      { upliftRate: '0.1' },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      upliftRate: '0.1',
      startDate: today,
      endDate: dealEndDate(today, 12),
    });
    const again = await call<Problem>('POST', `/v1/registrations/${id}/reject`, tokens.manager, {
      reason: 'changed my mind',
    });
    expect(again.status).toBe(409);

    await consumeLine(db, {
      sourceId: `reg-${tag}-1`,
      accountId: customer,
      date: today,
      amount: '10000.00',
    });
    const preview = await call<RunningInvoice>('GET', '/v1/partners/me/invoices/preview', tokens.a);
    expect(preview.status).toBe(200);
    const uplift = preview.body.lines.find((l) => l.kind === 'deal_uplift' && l.dealId === id);
    // 10 percentage points of the customer's 10 000.00 linked today, off the invoice.
    expect(uplift?.amount).toBe('-1000.00');

    const audited = await call<Registration>('GET', `/v1/registrations/${id}`, tokens.a);
    expect(
      audited.body.events?.map((e) => `${e.actor}:${e.fromStatus ?? '∅'}→${e.toStatus}`),
    ).toEqual(['user-a:∅→pending', 'manager-maria:pending→approved']);

    // Renewed before expiry: one more term from the end date.
    const renewed = await call<Registration>('POST', `/v1/registrations/${id}/renew`, tokens.a);
    expect(renewed.status).toBe(200);
    expect(renewed.body.endDate).toBe(renewedEndDate(dealEndDate(today, 12), 12));
    expect((await call<Problem>('POST', `/v1/registrations/${id}/renew`, tokens.b)).status).toBe(
      404,
    );
  }, 120_000);

  it('two partners registering the same prospective customer at the same instant: exactly one wins, and the loser is not told who', async () => {
    const before = await registrationsCount();
    const body = {
      customerInn: FIXTURE_INN.active,
      expectedMonthlyConsumption: '50000',
      description: 'New logistics platform',
    };
    const [first, second] = await Promise.all([
      call<Registration & Problem>('POST', '/v1/partners/me/deal-registrations', tokens.a, body),
      call<Registration & Problem>('POST', '/v1/partners/me/deal-registrations', tokens.b, body),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const loser = first.status === 409 ? first : second;
    const winner = first.status === 202 ? first : second;
    const text = JSON.stringify(loser.body);
    for (const who of [a, b]) {
      expect(text).not.toContain(who.partnerId);
      expect(text).not.toContain(who.organizationId);
    }
    expect(text).not.toMatch(/Первый|Второй/);
    expect(await registrationsCount()).toBe(before + 1);
    expect(winner.body.customerName).toBe('АО «Северная логистика»');

    // Approved, the prospective customer becomes a subaccount of the winner.
    await reviewed(winner.body.id);
    const approved = await call<Registration>(
      'POST',
      `/v1/registrations/${winner.body.id}/approve`,
      tokens.manager,
      { upliftRate: '0.05' },
    );
    expect(approved.status).toBe(200);
    const account = await db.billingAccount.findUniqueOrThrow({
      where: { id: approved.body.customerAccountId ?? '' },
    });
    const winnerOwn = winner.body.partnerId === a.partnerId ? a.ownAccountId : b.ownAccountId;
    expect(account).toMatchObject({ parentId: winnerOwn, inn: FIXTURE_INN.active });
  }, 120_000);

  it('a project: baseline defaults to the three full months before, the manager adjusts it and sets the rate within 15%', async () => {
    const customer = a.customerIds[1] as string;
    const month = monthOf(today);
    for (const [i, amount] of ['900.00', '1200.00', '600.01'].entries()) {
      await consumeLine(db, {
        sourceId: `reg-${tag}-p${i}`,
        accountId: customer,
        date: firstDayOf(addMonths(month, -(i + 1))),
        amount,
      });
    }
    // Four months back is outside the window.
    await consumeLine(db, {
      sourceId: `reg-${tag}-p-old`,
      accountId: customer,
      date: firstDayOf(addMonths(month, -4)),
      amount: '99999.00',
    });
    const submitted = await call<Registration>(
      'POST',
      '/v1/partners/me/project-registrations',
      tokens.a,
      {
        scope: 'cloud',
        cloudId: `cloud-${customer}`,
        description: 'Analytics platform',
        expectedGrowth: 'Doubling by summer',
      },
    );
    expect(submitted.status).toBe(202);
    // (900.00 + 1200.00 + 600.01) / 3 = 900.003333… → 900.00
    expect(submitted.body.baselineDefault).toBe('900.00');
    await reviewed(submitted.body.id);
    const tooHigh = await call<Problem>(
      'POST',
      `/v1/registrations/${submitted.body.id}/approve`,
      tokens.manager,
      { rate: '0.16' },
    );
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.errors?.map((e) => e.field)).toEqual(['rate']);
    const approved = await call<Registration>(
      'POST',
      `/v1/registrations/${submitted.body.id}/approve`,
      tokens.manager,
      { rate: '0.1', baselineMonthly: '1000.00' },
    );
    expect(approved.status).toBe(200);
    const project = await db.project.findUniqueOrThrow({ where: { id: submitted.body.id } });
    expect(project.baselineMonthly.toFixed(2)).toBe('1000.00');
    expect(project.rate.toString()).toBe('0.1');
    expect(project.registeredOn.toISOString().slice(0, 10)).toBe(today);
    // A folder inside the approved cloud would earn on the same growth twice: 409 on approval.
    const folder = await call<Registration>(
      'POST',
      '/v1/partners/me/project-registrations',
      tokens.a,
      {
        scope: 'folder',
        cloudId: `cloud-${customer}`,
        folderId: `folder-${customer}`,
        description: 'The same platform again',
        expectedGrowth: 'Some',
      },
    );
    expect(folder.status).toBe(202);
    await reviewed(folder.body.id);
    const overlap = await call<Problem>(
      'POST',
      `/v1/registrations/${folder.body.id}/approve`,
      tokens.manager,
      { rate: '0.05' },
    );
    expect(overlap.status).toBe(409);
    expect(await db.project.findUnique({ where: { id: folder.body.id } })).toBeNull();
    // A project is not renewed: its 12 months run from approval.
    expect(
      (await call<Problem>('POST', `/v1/registrations/${submitted.body.id}/renew`, tokens.a))
        .status,
    ).toBe(409);
  }, 120_000);

  it('a rejection needs a reason, is audited, and releases the customer', async () => {
    const customer = a.customerIds[2] as string;
    const body = {
      customerAccountId: customer,
      expectedMonthlyConsumption: '1000.00',
      description: 'Backups',
    };
    const submitted = await call<Registration>(
      'POST',
      '/v1/partners/me/deal-registrations',
      tokens.a,
      body,
    );
    expect(submitted.status).toBe(202);
    const twice = await call<Problem>('POST', '/v1/partners/me/deal-registrations', tokens.a, body);
    expect(twice.status).toBe(409);
    await reviewed(submitted.body.id);
    const id = submitted.body.id;
    expect(
      (await call<Problem>('POST', `/v1/registrations/${id}/reject`, tokens.manager, {})).status,
    ).toBe(400);
    const rejected = await call<Registration>(
      'POST',
      `/v1/registrations/${id}/reject`,
      tokens.manager,
      { reason: 'Served by the provider directly' },
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reason: 'Served by the provider directly',
    });
    const audited = await call<Registration>('GET', `/v1/registrations/${id}`, tokens.manager);
    expect(audited.body.events?.at(-1)).toMatchObject({
      actor: 'manager-maria',
      fromStatus: 'pending',
      toStatus: 'rejected',
      reason: 'Served by the provider directly',
    });
    const anew = await call<Registration>(
      'POST',
      '/v1/partners/me/deal-registrations',
      tokens.a,
      body,
    );
    expect(anew.status).toBe(202);
  }, 120_000);

  it('after its term a deal is renewed by registering the customer again, reviewed like a new one', async () => {
    const created = await call<{ id: string }>('POST', '/v1/partners/me/customers', tokens.b, {
      name: 'ООО «Продление»',
    });
    expect(created.status).toBe(201);
    const submitted = await call<Registration>(
      'POST',
      '/v1/partners/me/deal-registrations',
      tokens.b,
      { customerAccountId: created.body.id, expectedMonthlyConsumption: '700', description: 'CRM' },
    );
    const id = submitted.body.id;
    await reviewed(id);
    expect(
      (
        await call<Registration>('POST', `/v1/registrations/${id}/approve`, tokens.manager, {
          upliftRate: '0.05',
        })
      ).status,
    ).toBe(200);
    // The term ends (the review workflow's timer does this; see test/workflows): expired.
    await createRegistrationRepository(db).expire(id, new Date().toISOString());
    const renewal = await call<Registration>('POST', `/v1/registrations/${id}/renew`, tokens.b);
    expect(renewal.status).toBe(202);
    expect(renewal.body).toMatchObject({ status: 'pending', renewalOf: id });
    expect(renewal.body.id).not.toBe(id);
    expect((await reviewed(renewal.body.id)).reviewDeadline).not.toBeNull();
    const mine = await call<Items<Registration>>('GET', '/v1/partners/me/registrations', tokens.b);
    const statuses = new Map(mine.body.items.map((r) => [r.id, r.status]));
    expect(statuses.get(id)).toBe('expired');
    expect(statuses.get(renewal.body.id)).toBe('pending');
  }, 120_000);

  describe('bad input changes nothing', () => {
    const deal = (overrides: Record<string, unknown>) => ({
      expectedMonthlyConsumption: '1000.00',
      description: 'Something',
      ...overrides,
    });

    it.each([
      [
        'a customer of another partner',
        () => deal({ customerAccountId: b.customerIds[0] }),
        422,
        ['customerAccountId'],
      ],
      [
        'an unknown customer',
        () => deal({ customerAccountId: 'cust-nobody' }),
        422,
        ['customerAccountId'],
      ],
      [
        'an INN the registry does not know',
        () => deal({ customerInn: FIXTURE_INN.unknown }),
        422,
        ['customerInn'],
      ],
      [
        'a liquidated company',
        () => deal({ customerInn: FIXTURE_INN.liquidated }),
        422,
        ['customerInn'],
      ],
      [
        'an INN with a wrong check digit',
        () => deal({ customerInn: '7704123451' }),
        422,
        ['customerInn'],
      ],
      [
        'both a customer and an INN',
        () => deal({ customerAccountId: a.customerIds[0], customerInn: FIXTURE_INN.smallLlc }),
        422,
        ['customerAccountId'],
      ],
      [
        'a negative expected consumption',
        () => deal({ customerAccountId: a.customerIds[0], expectedMonthlyConsumption: '-5' }),
        422,
        ['expectedMonthlyConsumption'],
      ],
    ])('%s', async (_name, body, status, fields) => {
      const before = await registrationsCount();
      const res = await call<Problem>(
        'POST',
        '/v1/partners/me/deal-registrations',
        tokens.a,
        body(),
      );
      expect(res.status).toBe(status);
      expect(res.body.errors?.map((e) => e.field)).toEqual(fields);
      expect(await registrationsCount()).toBe(before);
    });

    it('a start date in a closed month: 422 naming the first open date', async () => {
      const before = await registrationsCount();
      const res = await call<Problem>(
        'POST',
        '/v1/partners/me/deal-registrations',
        tokens.b,
        deal({ customerAccountId: b.customerIds[0], startDate: `${CLOSED_MONTH}-15` }),
      );
      expect(res.status).toBe(422);
      expect(res.body.errors?.map((e) => e.field)).toEqual(['startDate']);
      expect(res.body.errors?.[0]?.message).toContain('the first open date is');
      expect(await registrationsCount()).toBe(before);
    });

    it('a partner that gave exit notice: 409', async () => {
      const before = await registrationsCount();
      const res = await call<Problem>(
        'POST',
        '/v1/partners/me/deal-registrations',
        tokens.leaver,
        deal({ customerInn: FIXTURE_INN.regional }),
      );
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('leaving');
      expect(await registrationsCount()).toBe(before);
    });

    it('a cloud that is not one of the partner’s customers’: 422', async () => {
      const before = await registrationsCount();
      const res = await call<Problem>('POST', '/v1/partners/me/project-registrations', tokens.a, {
        scope: 'cloud',
        cloudId: `cloud-${b.customerIds[0]}`,
        description: 'Not mine',
        expectedGrowth: 'Some',
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.map((e) => e.field)).toEqual(['cloudId']);
      expect(await registrationsCount()).toBe(before);
    });
  });
});
