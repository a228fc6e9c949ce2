import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { createLifecycleRepository } from '../../prisma/repositories/lifecycle.repository';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * A departed partner's held payout through the HTTP API: finance lists it, bad bank details
 * are refused field by field with nothing changed, and the details given — by the partner
 * and its manager at the same moment — pay the held balance once.
 */
const BIK = '044525225';
const ACCOUNT = '40702810938000000001';

interface PayoutItem {
  partnerId: string;
  status: string;
  amount: string;
  withdrawalId: string | null;
  bankAccount: string | null;
}
interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}

describe('payout awaiting bank details through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-payout') });
  let api: RunningApi;
  let db: Database;
  let departed: PartnerFixture;
  let active: PartnerFixture;
  const tokens = { departed: '', active: '', manager: '', finance: '' };
  const call = apiClient(() => api.url);
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    db = testDatabase();
    departed = await createPartner(db, {
      tag: `e2e-held-${tag}`,
      name: 'ООО «Ушедший»',
      memberSince: '2025-01-01',
    });
    active = await createPartner(db, {
      tag: `e2e-active-${tag}`,
      name: 'ООО «Действующий»',
      memberSince: '2025-01-01',
    });
    for (const partner of [departed, active]) {
      await db.rebateLedgerEntry.create({
        data: {
          partnerId: partner.partnerId,
          idempotencyKey: `e2e-payout:${partner.partnerId}`,
          kind: 'project_rebate',
          amount: '321.00',
          month: '2025-04',
        },
      });
    }
    await db.partner.update({
      where: { id: departed.partnerId },
      data: { status: 'left', exitDate: new Date('2025-05-20T00:00:00Z'), endedAt: new Date() },
    });
    // What the exit's final steps do (test/workflows/final-payout.test.ts runs them).
    await createLifecycleRepository(db).payOutRebateBalance(departed.partnerId);

    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.departed = await issuer.issue({
      subject: 'user-departed',
      role: 'partner',
      organizationId: departed.organizationId,
    });
    tokens.active = await issuer.issue({
      subject: 'user-active',
      role: 'partner',
      organizationId: active.organizationId,
    });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  async function payouts(status: string, token = tokens.finance) {
    const res = await call<{ items: PayoutItem[] }>(
      'GET',
      `/v1/payouts?status=${status}&limit=500`,
      token,
    );
    expect(res.status).toBe(200);
    return res.body.items.filter((p) => p.partnerId === departed.partnerId);
  }

  it('finance and managers see the payout awaiting bank details; partners may not list payouts', async () => {
    expect(await payouts('awaiting_bank_details')).toEqual([
      expect.objectContaining({ status: 'awaiting_bank_details', amount: '321.00' }),
    ]);
    expect(await payouts('awaiting_bank_details', tokens.manager)).toHaveLength(1);
    expect(await payouts('paid')).toEqual([]);
    expect((await call('GET', '/v1/payouts', tokens.departed)).status).toBe(403);
    expect((await call('GET', '/v1/payouts?status=sent', tokens.finance)).status).toBe(400);
  });

  it('refuses bad bank details field by field and changes nothing', async () => {
    const before = await db.billingAccount.findUniqueOrThrow({
      where: { id: departed.ownAccountId },
    });
    const cases: [unknown, number, string][] = [
      [{ bik: '04452522', account: ACCOUNT }, 400, 'body.bik'],
      [{ bik: BIK, account: '4070281093800000000' }, 400, 'body.account'],
      [{ bik: BIK }, 400, 'body.account'],
      [{ bik: BIK, account: ACCOUNT, iban: 'x' }, 400, 'body'],
      [{ bik: BIK, account: '40702810938000000002' }, 422, 'account'],
    ];
    for (const [body, status, field] of cases) {
      const res = await call<Problem>('PUT', '/v1/partners/me/bank-details', tokens.departed, body);
      expect([body, res.status]).toEqual([body, status]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    expect(
      await db.billingAccount.findUniqueOrThrow({ where: { id: departed.ownAccountId } }),
    ).toEqual(before);
    expect(await db.withdrawal.count({ where: { partnerId: departed.partnerId } })).toBe(0);
    // A partner cannot give another partner's details; a manager can, by id.
    expect(
      (
        await call('PUT', `/v1/partners/${departed.partnerId}/bank-details`, tokens.active, {
          bik: BIK,
          account: ACCOUNT,
        })
      ).status,
    ).toBe(403);
  });

  it('after the departed partner gives bank details it is paid once, though given three times at once', async () => {
    const body = { bik: BIK, account: ACCOUNT };
    const answers = await Promise.all([
      call<{ finalPayout: PayoutItem }>(
        'PUT',
        '/v1/partners/me/bank-details',
        tokens.departed,
        body,
      ),
      call<{ finalPayout: PayoutItem }>(
        'PUT',
        `/v1/partners/${departed.partnerId}/bank-details`,
        tokens.manager,
        body,
      ),
      call<{ finalPayout: PayoutItem }>(
        'PUT',
        '/v1/partners/me/bank-details',
        tokens.departed,
        body,
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const ids = new Set(answers.map((a) => a.body.finalPayout.withdrawalId));
    expect(ids.size).toBe(1);
    expect(answers[0]?.body.finalPayout).toMatchObject({
      status: 'paid',
      amount: '321.00',
      bankAccount: ACCOUNT,
    });

    const withdrawals = await db.withdrawal.findMany({ where: { partnerId: departed.partnerId } });
    expect(
      withdrawals.map((w) => [w.target, w.amount.toFixed(2), w.bankBik, w.bankAccount]),
    ).toEqual([['bank', '321.00', BIK, ACCOUNT]]);
    expect(await payouts('awaiting_bank_details')).toEqual([]);
    expect(await payouts('paid')).toEqual([
      expect.objectContaining({ status: 'paid', amount: '321.00', bankAccount: ACCOUNT }),
    ]);
    const rebates = await call<{ balance: string }>(
      'GET',
      `/v1/partners/${departed.partnerId}/rebates`,
      tokens.finance,
    );
    expect(rebates.body.balance).toBe('0.00');
    const notes = await call<{ items: { kind: string; body: string }[] }>(
      'GET',
      '/v1/notifications',
      tokens.departed,
    );
    expect(notes.body.items.filter((n) => n.kind === 'rebate_paid_out')).toHaveLength(1);
  });

  it('refuses a withdrawal to the bank without bank details, and pays it once they are given', async () => {
    const withdraw = (key: string) =>
      fetch(`${api.url}/v1/partners/me/rebates/withdrawals`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tokens.active}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ amount: '21.00', target: 'bank' }),
      });
    const refused = await withdraw(`no-details-${tag}`);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problem).errors?.[0]?.field).toBe('target');
    expect(await db.withdrawal.count({ where: { partnerId: active.partnerId } })).toBe(0);

    const given = await call<{ finalPayout: unknown; changed: boolean }>(
      'PUT',
      '/v1/partners/me/bank-details',
      tokens.active,
      { bik: BIK, account: ACCOUNT },
    );
    expect(given.status).toBe(200);
    // An active partner has no final payout: the details are recorded, nothing is paid.
    expect(given.body).toMatchObject({ changed: true, finalPayout: null });
    const paid = await withdraw(`with-details-${tag}`);
    expect(paid.status).toBe(201);
    expect(await paid.json()).toMatchObject({ bankBik: BIK, bankAccount: ACCOUNT });
  });
});
