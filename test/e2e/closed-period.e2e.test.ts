import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { addDays } from '../../domain/calendar/production-calendar';
import { firstOpenDate } from '../../domain/closed-period';
import { dateInMoscow } from '../../domain/programs';
import type { Database } from '../../prisma/client';
import { newestClosedMonth } from '../../prisma/repositories/closed-period.repository';
import { createReferralRepository } from '../../prisma/repositories/referral.repository';
import { testConfig, testDatabase } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/**
 * Changes dated into a closed month (issue #11, item 5): a deal's start or end, a project's
 * registration, a specialization's grant or withdrawal and a referral sign-up are refused with
 * 422 naming the first open date, and change nothing; on the first open date they are taken.
 *
 * The file closes 2019-06 by a month_closes row of its own, a month no other test uses. Should
 * a later month be closed in the same database meanwhile, 2019-06 stays closed; the first open
 * date is therefore read from the database at each step rather than assumed.
 */
describe('changes dated into a closed month', () => {
  const config = testConfig();
  const CLOSED_MONTH = '2019-06';
  const CLOSED_DAY = '2019-06-10';
  const tag = randomUUID().slice(0, 8);
  let api: RunningApi;
  let db: Database;
  let reseller: PartnerFixture;
  let closedByUs = false;
  const tokens = { manager: '', billing: '', referrer: '' };
  const call = apiClient(() => api.url);

  /** The first day after the newest close, as the API should name it now. */
  async function firstOpen(): Promise<string> {
    const date = firstOpenDate(await newestClosedMonth(db));
    if (date === null) throw new Error('expected a closed month');
    return date;
  }

  /** A 422 on `field` that names the refused date, its month and the first open date. */
  async function expectClosed(
    res: { status: number; body: Problem },
    field: string,
    date: string,
  ): Promise<void> {
    const open = await firstOpen();
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.field)).toEqual([field]);
    expect(res.body.detail).toContain(`${field} ${date}`);
    expect(res.body.detail).toContain(`${date.slice(0, 7)}, which is closed`);
    expect(res.body.errors?.[0]?.message).toContain(`the first open date is ${open}`);
  }

  beforeAll(async () => {
    db = testDatabase();
    const existing = await db.monthClose.findUnique({ where: { month: CLOSED_MONTH } });
    if (!existing) {
      await db.monthClose.create({
        data: {
          month: CLOSED_MONTH,
          status: 'completed',
          watermark: 0n,
          previousWatermark: 0n,
          completedAt: new Date(),
        },
      });
      closedByUs = true;
    }
    // VAR from today: no close of a past month, run by other tests, includes it.
    reseller = await createPartner(db, {
      tag: `closed-var-${tag}`,
      name: 'ООО «Закрытый период»',
      memberSince: dateInMoscow(new Date()),
      customers: 2,
    });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.billing = await issuer.issue({ subject: 'billing', role: 'billing-system' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (closedByUs) await db?.monthClose.delete({ where: { month: CLOSED_MONTH } });
    await db?.$disconnect();
  });

  it('deal: refuses a start in a closed month (422, nothing stored) and takes the first open date', async () => {
    const path = `/v1/partners/${reseller.partnerId}/deals`;
    const deal = { customerAccountId: reseller.customerIds[0], upliftRate: '0.05' };
    const refused = await call<Problem>('POST', path, tokens.manager, {
      ...deal,
      startDate: CLOSED_DAY,
    });
    await expectClosed(refused, 'startDate', CLOSED_DAY);
    expect(await db.deal.count({ where: { partnerId: reseller.partnerId } })).toBe(0);

    const open = await firstOpen();
    const taken = await call<{ startDate: string }>('POST', path, tokens.manager, {
      ...deal,
      startDate: open,
    });
    expect(taken.status).toBe(201);
    expect(taken.body.startDate).toBe(open);
  });

  it('deal: refuses an end inside a closed month (422, unchanged) and ends the day before the first open date', async () => {
    // A deal registered while 2019-06 was open.
    const dealId = randomUUID();
    await db.deal.create({
      data: {
        id: dealId,
        partnerId: reseller.partnerId,
        customerAccountId: reseller.customerIds[1] as string,
        upliftRate: '0.05',
        startDate: new Date('2019-06-01T00:00:00Z'),
        registeredBy: 'user-maria',
      },
    });
    const refused = await call<Problem>('POST', `/v1/deals/${dealId}/end`, tokens.manager, {
      endDate: '2019-06-20',
    });
    await expectClosed(refused, 'endDate', '2019-06-20');
    expect((await db.deal.findUniqueOrThrow({ where: { id: dealId } })).endDate).toBeNull();

    const lastDay = addDays(await firstOpen(), -1);
    const ended = await call<{ endDate: string }>(
      'POST',
      `/v1/deals/${dealId}/end`,
      tokens.manager,
      {
        endDate: lastDay,
      },
    );
    expect(ended.status).toBe(200);
    expect(ended.body.endDate).toBe(lastDay);
  });

  it('project: refuses a registration in a closed month (422, nothing stored) and takes the first open date', async () => {
    const path = `/v1/partners/${reseller.partnerId}/projects`;
    const project = {
      scope: 'cloud',
      cloudId: `cloud-closed-${tag}`,
      baselineMonthly: '1000.00',
      rate: '0.10',
    };
    const refused = await call<Problem>('POST', path, tokens.manager, {
      ...project,
      registeredOn: CLOSED_DAY,
    });
    await expectClosed(refused, 'registeredOn', CLOSED_DAY);
    expect(await db.project.count({ where: { partnerId: reseller.partnerId } })).toBe(0);

    const open = await firstOpen();
    const taken = await call<{ registeredOn: string }>('POST', path, tokens.manager, {
      ...project,
      registeredOn: open,
    });
    expect(taken.status).toBe(201);
    expect(taken.body.registeredOn).toBe(open);
  });

  it('specialization: refuses a grant from a closed month (422, nothing stored) and takes the first open date', async () => {
    const path = `/v1/partners/${reseller.partnerId}/specializations`;
    const grant = { code: `closed-${tag}`, rate: '0.05', serviceIds: ['managed-postgresql'] };
    const refused = await call<Problem>('POST', path, tokens.manager, {
      ...grant,
      validFrom: CLOSED_DAY,
    });
    await expectClosed(refused, 'validFrom', CLOSED_DAY);
    expect(await db.specialization.count({ where: { partnerId: reseller.partnerId } })).toBe(0);

    const open = await firstOpen();
    const taken = await call<{ validFrom: string; validTo: string | null }>(
      'POST',
      path,
      tokens.manager,
      { ...grant, validFrom: open },
    );
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ validFrom: open, validTo: null });
    // Held twice on the same days would credit its rebate twice.
    const twice = await call<Problem>('POST', path, tokens.manager, { ...grant, validFrom: open });
    expect(twice.status).toBe(409);
    expect(await db.specialization.count({ where: { partnerId: reseller.partnerId } })).toBe(1);
  });

  it('specialization: refuses a withdrawal inside a closed month (422, unchanged) and withdraws the day before the first open date', async () => {
    // A specialization granted while 2019 was open.
    const held = await db.specialization.create({
      data: {
        partnerId: reseller.partnerId,
        code: `held-${tag}`,
        rate: '0.03',
        serviceIds: ['compute'],
        validFrom: new Date('2019-01-01T00:00:00Z'),
      },
    });
    const path = `/v1/specializations/${held.id}/withdraw`;
    const refused = await call<Problem>('POST', path, tokens.manager, { validTo: '2019-06-15' });
    await expectClosed(refused, 'validTo', '2019-06-15');
    expect(
      (await db.specialization.findUniqueOrThrow({ where: { id: held.id } })).validTo,
    ).toBeNull();

    const lastDay = addDays(await firstOpen(), -1);
    const withdrawn = await call<{ validTo: string }>('POST', path, tokens.manager, {
      validTo: lastDay,
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.validTo).toBe(lastDay);
  });

  it('referral sign-up: refuses one on a closed day (422, nothing stored) and takes the first open date', async () => {
    const open = await firstOpen();
    // A referral member on exactly the two days the sign-ups are dated, so no close of
    // another month includes it.
    const referrer = await createPartner(db, {
      tag: `closed-ref-${tag}`,
      name: 'ООО «Рекомендатель»',
      memberSince: CLOSED_DAY,
      memberUntil: CLOSED_DAY,
      program: 'referral',
      customers: 0,
    });
    await db.programMembership.create({
      data: {
        partnerId: referrer.partnerId,
        program: 'referral',
        startDate: new Date(`${open}T00:00:00Z`),
        endDate: new Date(`${open}T00:00:00Z`),
      },
    });
    const { code } = await createReferralRepository(db).linkOf(referrer.partnerId);
    const customer = `closed-ref-cust-${tag}`;
    const signup = (signedUpAt: string) => ({
      referralCode: code,
      customer: { accountId: customer, organizationId: `org-${customer}`, name: 'ООО «Клиент»' },
      signedUpAt,
    });

    const refused = await call<Problem>(
      'POST',
      '/v1/referrals/signups',
      tokens.billing,
      signup(`${CLOSED_DAY}T12:00:00+03:00`),
    );
    await expectClosed(refused, 'signedUpAt', CLOSED_DAY);
    expect(await db.referralAttribution.count({ where: { customerAccountId: customer } })).toBe(0);
    expect(await db.billingAccount.count({ where: { id: customer } })).toBe(0);

    // Midnight in Moscow on the first open date: never in the future.
    const taken = await call<{ startDate: string }>(
      'POST',
      '/v1/referrals/signups',
      tokens.billing,
      signup(`${open}T00:00:00+03:00`),
    );
    expect(taken.status).toBe(201);
    expect(taken.body.startDate).toBe(open);
  });
});
