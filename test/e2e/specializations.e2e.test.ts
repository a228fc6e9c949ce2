import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface CatalogueEntry {
  code: string;
  nameRu: string;
  nameEn: string;
  serviceIds: string[];
  rate: string;
  minCertifiedEngineers: number;
  validFrom: string;
  validTo: string | null;
}
interface Application {
  id: string;
  partnerId: string;
  code: string;
  status: string;
  decidedBy: string | null;
  reason: string | null;
  specializationId: string | null;
}
interface Held {
  id: string;
  code: string;
  rate: string;
  serviceIds: string[];
  validFrom: string;
  validTo: string | null;
}
interface History {
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}
interface Items<T> {
  items: T[];
}

/**
 * Specializations through the HTTP API with the worker: a partner reads the catalogue and
 * applies; a manager grants (rate and services from the catalogue) or refuses; the quarter-end
 * close of 2026-09 credits the specialization rebate; a withdrawal inside the closed quarter is
 * refused. The file's database is its own, so its closes touch no other test.
 */
describe('specializations: catalogue, applications, decisions and the quarterly rebate', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-specializations') });
  const tag = randomUUID().slice(0, 8);
  let api: RunningApi;
  let worker: RunningWorker;
  let db: Database;
  let holder: PartnerFixture;
  let leaver: PartnerFixture;
  let other: PartnerFixture;
  const tokens = { holder: '', leaver: '', other: '', manager: '', finance: '', billing: '' };
  const call = apiClient(() => api.url);
  let granted: { application: Application; specialization: Held };

  beforeAll(async () => {
    db = testDatabase();
    holder = await createPartner(db, {
      tag: `spec-holder-${tag}`,
      name: 'ООО «Данные»',
      memberSince: '2026-07-01',
      customers: 1,
    });
    leaver = await createPartner(db, {
      tag: `spec-leaver-${tag}`,
      name: 'ООО «Уходим»',
      memberSince: '2026-07-01',
    });
    await db.partner.update({ where: { id: leaver.partnerId }, data: { status: 'leaving' } });
    other = await createPartner(db, {
      tag: `spec-other-${tag}`,
      name: 'ООО «Соседи»',
      memberSince: '2026-07-01',
    });
    worker = await startWorker(config);
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    const partnerToken = (p: PartnerFixture) =>
      issuer.issue({
        subject: `user-${p.organizationId}`,
        role: 'partner',
        organizationId: p.organizationId,
      });
    tokens.holder = await partnerToken(holder);
    tokens.leaver = await partnerToken(leaver);
    tokens.other = await partnerToken(other);
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.billing = await issuer.issue({ subject: 'billing-system', role: 'billing-system' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  const applications = (partnerId: string) =>
    db.specializationApplication.count({ where: { partnerId } });

  it('serves the catalogue with its services, quarterly rates, requirements and dates', async () => {
    const res = await call<Items<CatalogueEntry>>(
      'GET',
      '/v1/specializations/catalogue',
      tokens.holder,
    );
    expect(res.status).toBe(200);
    const dataPlatform = res.body.items.find((e) => e.code === 'data-platform');
    expect(dataPlatform).toMatchObject({
      nameRu: 'Платформа данных',
      nameEn: 'Data platform',
      serviceIds: ['managed-postgresql', 'object-storage'],
      rate: '0.05',
      minCertifiedEngineers: 2,
      validFrom: '2025-01-01',
      validTo: null,
    });
    const before = await call<Items<CatalogueEntry>>(
      'GET',
      '/v1/specializations/catalogue?on=2024-12-31',
      tokens.manager,
    );
    expect(before.body.items).toEqual([]);
  });

  it('refuses an application below the requirements or for an unknown code (422, nothing stored)', async () => {
    const path = '/v1/partners/me/specialization-applications';
    const few = await call<Problem>('POST', path, tokens.holder, {
      code: 'data-platform',
      evidence: 'One certified engineer',
      certifiedEngineers: 1,
    });
    expect(few.status).toBe(422);
    expect(few.body.errors).toMatchObject([
      {
        field: 'certifiedEngineers',
        message:
          'the specialization requires at least 2 certified engineers; the application names 1',
      },
    ]);
    const unknown = await call<Problem>('POST', path, tokens.holder, {
      code: 'quantum',
      evidence: 'Qubits',
      certifiedEngineers: 5,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.map((e) => e.field)).toEqual(['code']);
    const blank = await call<Problem>('POST', path, tokens.holder, {
      code: 'data-platform',
      evidence: '   ',
      certifiedEngineers: 3,
    });
    expect(blank.status).toBe(422);
    expect(blank.body.errors?.map((e) => e.field)).toEqual(['evidence']);
    expect(await applications(holder.partnerId)).toBe(0);
  });

  it('takes one open application per partner and code (409 for a second), none from a partner who is leaving', async () => {
    const path = '/v1/partners/me/specialization-applications';
    const body = {
      code: 'data-platform',
      evidence: 'Three engineers certified; a PostgreSQL migration for a retailer',
      certifiedEngineers: 3,
    };
    const first = await call<Application>('POST', path, tokens.holder, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code: 'data-platform', status: 'open', decidedBy: null });
    const again = await call<Problem>('POST', path, tokens.holder, body);
    expect(again.status).toBe(409);
    expect(await applications(holder.partnerId)).toBe(1);

    const leaving = await call<Problem>('POST', path, tokens.leaver, body);
    expect(leaving.status).toBe(409);
    expect(leaving.body.detail).toContain('leaving');
    expect(await applications(leaver.partnerId)).toBe(0);

    const mine = await call<Items<Application>>('GET', path, tokens.holder);
    expect(mine.body.items.map((a) => a.id)).toEqual([first.body.id]);
    const queue = await call<Items<Application>>(
      'GET',
      '/v1/specialization-applications',
      tokens.manager,
    );
    expect(queue.body.items.map((a) => a.id)).toContain(first.body.id);
    // Another partner sees neither the application nor its trail.
    const foreign = await call<Problem>(
      'GET',
      `/v1/specialization-applications/${first.body.id}`,
      tokens.other,
    );
    expect(foreign.status).toBe(404);
  });

  it('takes exactly one of five applications for the same code sent at the same instant', async () => {
    const body = {
      code: 'containers',
      evidence: 'Four engineers certified on Kubernetes',
      certifiedEngineers: 4,
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call<Problem>('POST', '/v1/partners/me/specialization-applications', tokens.other, body),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await applications(other.partnerId)).toBe(1);
  });

  it('lets only a manager grant: the grant takes the catalogue’s rate and services from its first day', async () => {
    const [open] = (
      await call<Items<Application>>(
        'GET',
        '/v1/partners/me/specialization-applications',
        tokens.holder,
      )
    ).body.items;
    const path = `/v1/specialization-applications/${open?.id}/grant`;
    expect((await call<Problem>('POST', path, tokens.holder, {})).status).toBe(403);

    const res = await call<typeof granted>('POST', path, tokens.manager, {
      validFrom: '2026-07-01',
      reason: 'Certificates checked',
    });
    expect(res.status).toBe(200);
    granted = res.body;
    expect(granted.application).toMatchObject({ status: 'granted', decidedBy: 'user-maria' });
    expect(granted.specialization).toMatchObject({
      code: 'data-platform',
      rate: '0.05',
      serviceIds: ['managed-postgresql', 'object-storage'],
      validFrom: '2026-07-01',
      validTo: null,
    });
    expect((await call<Problem>('POST', path, tokens.manager, {})).status).toBe(409);

    const held = await call<Items<Held>>('GET', '/v1/partners/me/specializations', tokens.holder);
    expect(held.body.items.map((h) => h.id)).toEqual([granted.specialization.id]);
    // Holding it, the partner cannot apply for it again.
    const reapply = await call<Problem>(
      'POST',
      '/v1/partners/me/specialization-applications',
      tokens.holder,
      {
        code: 'data-platform',
        evidence: 'Again',
        certifiedEngineers: 3,
      },
    );
    expect(reapply.status).toBe(409);
  });

  it('credits the specialization rebate at the quarter-end close, at the catalogue’s rate', async () => {
    const line = (n: number, serviceId: string, amount: string) => ({
      sourceId: `spec-${tag}-${n}`,
      billingAccountId: holder.customerIds[0],
      cloudId: 'cloud-spec',
      folderId: 'folder-spec',
      serviceId,
      sku: `${serviceId}.usage`,
      usageDate: '2026-09-10',
      amount,
      grantAmount: '0',
    });
    const ingested = await call('POST', '/v1/consumption/batches', tokens.billing, {
      lines: [line(1, 'managed-postgresql', '1000.00'), line(2, 'compute', '400.00')],
    });
    expect(ingested.status).toBe(200);

    const started = await call('POST', '/v1/closes', tokens.finance, { month: '2026-09' });
    expect(started.status).toBe(202);
    let status = '';
    for (let i = 0; i < 150 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await call<{ status: string }>('GET', '/v1/closes/2026-09', tokens.finance)).body
        .status;
    }
    expect(status).toBe('completed');

    const ledger = await call<{
      balance: string;
      entries: {
        kind: string;
        amount: string;
        month: string | null;
        explanation: Record<string, unknown>;
      }[];
    }>('GET', `/v1/partners/${holder.partnerId}/rebates`, tokens.finance);
    expect(ledger.status).toBe(200);
    const credits = ledger.body.entries.filter((e) => e.kind === 'specialization_rebate');
    // 0.05 × 1000.00 of managed PostgreSQL in Q3; compute is not a data-platform service.
    expect(credits.map((e) => [e.month, e.amount])).toEqual([['2026-09', '50.00']]);
    expect(ledger.body.balance).toBe('50.00');
  }, 90_000);

  it('refuses a grant into the closed quarter (422 naming the first open date), and refusals need a reason', async () => {
    const applied = await call<Application>(
      'POST',
      '/v1/partners/me/specialization-applications',
      tokens.holder,
      {
        code: 'infrastructure',
        evidence: 'Two engineers certified on cloud infrastructure',
        certifiedEngineers: 2,
      },
    );
    expect(applied.status).toBe(201);
    const base = `/v1/specialization-applications/${applied.body.id}`;
    const closed = await call<Problem>('POST', `${base}/grant`, tokens.manager, {
      validFrom: '2026-08-01',
    });
    expect(closed.status).toBe(422);
    expect(closed.body.errors?.[0]?.field).toBe('validFrom');
    expect(closed.body.errors?.[0]?.message).toContain('the first open date is 2026-10-01');
    expect(await db.specialization.count({ where: { partnerId: holder.partnerId } })).toBe(1);

    const noReason = await call<Problem>('POST', `${base}/refuse`, tokens.manager, { reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors?.map((e) => e.field)).toEqual(['reason']);

    const refused = await call<Application>('POST', `${base}/refuse`, tokens.manager, {
      reason: 'No migration to Compute Cloud shown yet',
    });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'refused',
      reason: 'No migration to Compute Cloud shown yet',
    });
    expect((await call<Problem>('POST', `${base}/grant`, tokens.manager, {})).status).toBe(409);

    const trail = await call<Application & { history: History[] }>('GET', base, tokens.holder);
    expect(trail.body.history.map((h) => [h.actor, h.action, h.from, h.to, h.reason])).toEqual([
      [`user-${holder.organizationId}`, 'submit', null, 'open', null],
      ['user-maria', 'refuse', 'open', 'refused', 'No migration to Compute Cloud shown yet'],
    ]);
  });

  it('withdraws a grant with an end date, never inside the closed quarter, audited with its reason', async () => {
    const path = `/v1/specializations/${granted.specialization.id}/withdraw`;
    const inside = await call<Problem>('POST', path, tokens.manager, {
      validTo: '2026-09-15',
      reason: 'Certificates expired',
    });
    expect(inside.status).toBe(422);
    expect(inside.body.errors?.[0]?.message).toContain('the earliest end is 2026-09-30');

    const withdrawn = await call<Held>('POST', path, tokens.manager, {
      validTo: '2026-10-31',
      reason: 'Certificates expired',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.validTo).toBe('2026-10-31');
    // The same date again changes nothing and is not audited twice.
    expect((await call<Held>('POST', path, tokens.manager, { validTo: '2026-10-31' })).status).toBe(
      200,
    );

    const trail = await call<Application & { history: History[] }>(
      'GET',
      `/v1/specialization-applications/${granted.application.id}`,
      tokens.manager,
    );
    expect(trail.body.history.map((h) => [h.actor, h.action, h.from, h.to, h.reason])).toEqual([
      [`user-${holder.organizationId}`, 'submit', null, 'open', null],
      ['user-maria', 'grant', 'open', 'granted', 'Certificates checked'],
      ['user-maria', 'withdraw', 'held', 'held until 2026-10-31', 'Certificates expired'],
    ]);
  });

  it('audits a manager’s direct grant outside the catalogue too', async () => {
    const res = await call<Held>(
      'POST',
      `/v1/partners/${other.partnerId}/specializations`,
      tokens.manager,
      {
        code: 'infrastructure',
        rate: '0.02',
        serviceIds: ['compute'],
        validFrom: '2026-10-01',
        reason: 'Granted by the regional director before the catalogue',
      },
    );
    expect(res.status).toBe(201);
    const events = await db.auditEvent.findMany({
      where: { entityType: 'specialization', entityId: res.body.id },
    });
    expect(
      events.map((e) => [
        e.actor,
        e.action,
        e.fromState,
        e.toState,
        (e.details as { reason: string }).reason,
      ]),
    ).toEqual([
      [
        'user-maria',
        'grant',
        null,
        'held',
        'Granted by the regional director before the catalogue',
      ],
    ]);
  });
});
