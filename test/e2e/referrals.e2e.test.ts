import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import { previousMonthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

interface Problem {
  errors?: { field: string; message: string }[];
  detail?: string;
}

/**
 * The referral program through the HTTP API on the dev server: the link, the sign-up billing
 * reports, the attribution recorded once, and the commission statement the close issues.
 * It closes the month two months back, which no other end-to-end file closes.
 *
 * Billing reports the sign-ups with today's date: a sign-up dated in a closed month is refused,
 * and other test files close past months in the same database. The customer whose commission
 * the close pays signed up in that month while it was open, so its attribution is written
 * directly, as the API recorded it then.
 */
describe('referral program through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-referral') });
  const now = new Date();
  const month = previousMonthInMoscow(`${previousMonthInMoscow(now.toISOString())}-15T12:00:00Z`);
  const stamp = Date.now().toString(36);
  const today = moscowDateOf(now);
  const customer = `ref-e2e-cust-${stamp}`;
  const paying = `ref-e2e-paying-${stamp}`;
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let referrer: PartnerFixture;
  let reseller: PartnerFixture;
  const tokens = { referrer: '', reseller: '', billing: '', finance: '', other: '' };
  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    referrer = await createPartner(db, {
      tag: `e2e-ref-${stamp}`,
      name: 'ООО «Советчик»',
      memberSince: `${month}-01`,
      program: 'referral',
      customers: 0,
    });
    await db.billingAccount.update({
      where: { id: referrer.ownAccountId },
      data: { bik: '044525225', settlementAccount: '40702810938000000001' },
    });
    reseller = await createPartner(db, {
      tag: `e2e-var-${stamp}`,
      name: 'ООО «Перепродажа»',
      memberSince: `${month}-01`,
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.referrer = await issuer.issue({
      subject: 'user-ref',
      role: 'partner',
      organizationId: referrer.organizationId,
    });
    tokens.reseller = await issuer.issue({
      subject: 'user-var',
      role: 'partner',
      organizationId: reseller.organizationId,
    });
    tokens.billing = await issuer.issue({ subject: 'billing', role: 'billing-system' });
    tokens.finance = await issuer.issue({ subject: 'user-fin', role: 'finance' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  let code = '';
  const signup = (body: unknown, token = tokens.billing) =>
    call<Problem & Record<string, unknown>>('POST', '/v1/referrals/signups', token, body);
  const signupOf = (accountId: string, referralCode = code) => ({
    referralCode,
    customer: { accountId, organizationId: `org-${accountId}`, name: 'ООО «Клиент»' },
    signedUpAt: `${today}T00:00:00+03:00`,
  });

  it('gives a referral partner a stable link that redirects to the sign-up page', async () => {
    const link = await call<{ code: string; url: string; signupUrl: string }>(
      'GET',
      '/v1/partners/me/referral-link',
      tokens.referrer,
    );
    expect(link.status).toBe(200);
    code = link.body.code;
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(link.body.url).toBe(`${config.referral.publicBaseUrl}/r/${code}`);
    const again = await call<{ code: string }>(
      'GET',
      '/v1/partners/me/referral-link',
      tokens.referrer,
    );
    expect(again.body.code).toBe(code);

    const followed = await fetch(`${api.url}/r/${code}`, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const location = new URL(followed.headers.get('location') ?? '');
    expect(location.searchParams.get('referral')).toBe(code);
    expect(`${location.origin}${location.pathname}`).toBe(config.referral.signupUrl);
    expect((await fetch(`${api.url}/r/ABCDEFGHJK`, { redirect: 'manual' })).status).toBe(404);

    const notReferral = await call<Problem>(
      'GET',
      '/v1/partners/me/referral-link',
      tokens.reseller,
    );
    expect(notReferral.status).toBe(409);
    expect(notReferral.body.detail).toMatch(/referral program/);
  });

  it('attributes a sign-up once, audited, and refuses bad or conflicting ones', async () => {
    expect((await signup(signupOf(customer), tokens.referrer)).status).toBe(403);
    const bad = await signup({
      referralCode: 'nope',
      customer: { accountId: '', organizationId: 'x', name: 'y' },
      signedUpAt: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(
      ['body.referralCode', 'body.customer.accountId', 'body.signedUpAt'].sort(),
    );
    const unknown = await signup(signupOf(customer, 'ABCDEFGHJK'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors?.[0]?.field).toBe('referralCode');
    const future = await signup({ ...signupOf(customer), signedUpAt: '2099-01-01T00:00:00Z' });
    expect(future.status).toBe(422);
    expect(await db.referralAttribution.count({ where: { customerAccountId: customer } })).toBe(0);

    const first = await signup(signupOf(customer));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      customerAccountId: customer,
      partnerId: referrer.partnerId,
      startDate: today,
      endDate: null,
    });
    const again = await signup(signupOf(customer));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ startDate: today, customerName: 'ООО «Клиент»' });

    // A VAR partner's customer subaccount or the partner's own account cannot be referred.
    const own = await signup(signupOf(reseller.ownAccountId));
    expect(own.status).toBe(409);
    const audit = await db.auditEvent.findMany({
      where: { entityType: 'referral_attribution', entityId: customer },
    });
    expect(audit.map((a) => [a.action, a.actor, a.toState])).toEqual([
      ['attribute', 'billing', referrer.partnerId],
    ]);

    const mine = await call<{ items: { customerAccountId: string }[] }>(
      'GET',
      '/v1/partners/me/referrals',
      tokens.referrer,
    );
    expect(mine.body.items.map((i) => i.customerAccountId)).toEqual([customer]);
  });

  it('pays 10% of the month’s paid consumption in the close, one line per customer', async () => {
    // Signed up on the 2nd of the month, recorded while the month was open.
    await db.billingAccount.create({
      data: {
        id: paying,
        organizationId: `org-${paying}`,
        name: 'ООО «Платящий клиент»',
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
    await db.referralAttribution.create({
      data: {
        customerAccountId: paying,
        partnerId: referrer.partnerId,
        referralCode: code,
        signedUpAt: new Date(`${month}-02T12:00:00+03:00`),
        startDate: new Date(`${month}-02T00:00:00Z`),
        attributedBy: 'billing',
      },
    });
    const ingest = await call('POST', '/v1/consumption/batches', tokens.billing, {
      lines: [
        ['a', `${month}-01`, '5000.00', '0'], // the day before the sign-up: no commission
        ['b', `${month}-10`, '1500.00', '300.00'],
        ['c', `${month}-20`, '0.45', '0'],
      ].map(([id, usageDate, amount, grantAmount]) => ({
        sourceId: `ref-e2e-${stamp}-${id}`,
        billingAccountId: paying,
        cloudId: 'cloud-ref',
        folderId: 'folder-ref',
        serviceId: 'compute',
        sku: 'compute.vcpu',
        usageDate,
        amount,
        grantAmount,
      })),
    });
    expect(ingest.body).toMatchObject({ inserted: 3 });
    expect(ingest.status).toBe(200);
    expect((await call('POST', '/v1/closes', tokens.finance, { month })).status).toBe(202);
    let status: { status: string; commissionStatements?: number } = { status: 'running' };
    for (let i = 0; i < 300 && status.status !== 'completed'; i++) {
      status = (await call<typeof status>('GET', `/v1/closes/${month}`, tokens.finance)).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.status).toBe('completed');

    const list = await call<{ items: { id: string; total: string; kind: string }[] }>(
      'GET',
      '/v1/partners/me/commission-statements',
      tokens.referrer,
    );
    expect(list.body.items.map((s) => [s.kind, s.total])).toEqual([['monthly', '120.05']]);
    const id = list.body.items[0]?.id as string;
    const detail = await call<{
      payout: { bik: string; account: string };
      lines: { customerAccountId: string; base: string; amount: string }[];
    }>('GET', `/v1/commission-statements/${id}`, tokens.referrer);
    // (1500.00 − 300.00) + 0.45 = 1200.45 paid; 10% = 120.045 → 120.05.
    expect(detail.body.lines.map((l) => [l.customerAccountId, l.base, l.amount])).toEqual([
      [paying, '1200.45', '120.05'],
    ]);
    expect(detail.body.payout).toEqual({ bik: '044525225', account: '40702810938000000001' });
    expect((await call('GET', `/v1/commission-statements/${id}`, tokens.reseller)).status).toBe(
      404,
    );
    expect((await call('GET', `/v1/commission-statements/${id}`, tokens.finance)).status).toBe(200);
  });
});
