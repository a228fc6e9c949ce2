import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { monthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import { createRebateRepository } from '../../prisma/repositories/rebate.repository';
import { testConfig, testDatabase } from '../support/env';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface Withdrawal {
  id: string;
  target: string;
  amount: string;
  month: string | null;
  bankBik: string | null;
  bankAccount: string | null;
}
interface Ledger {
  partnerId: string;
  balance: string;
  entries: { kind: string; amount: string; balanceAfter: string; explanation: object }[];
}

/** The rebate balance through the HTTP API, in-process: ledger, withdrawals, access. */
describe('rebates through the HTTP API', () => {
  const config = testConfig();
  let api: RunningApi;
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const partnerId = randomUUID();
  const otherPartnerId = randomUUID();
  const tokens = { partner: '', other: '', manager: '', finance: '' };

  async function call<T>(
    method: string,
    path: string,
    token: string,
    options: { body?: unknown; key?: string } = {},
  ) {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(options.body ? { 'Content-Type': 'application/json' } : {}),
        ...(options.key ? { 'Idempotency-Key': options.key } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  }

  const withdraw = <T = Withdrawal>(body: unknown, key?: string, token = tokens.partner) =>
    call<T>('POST', '/v1/partners/me/rebates/withdrawals', token, { body, key });

  async function createPartner(id: string, org: string, bank: boolean) {
    const account = `ba-rebates-e2e-${id}`;
    await db.billingAccount.create({
      data: {
        id: account,
        organizationId: org,
        name: account,
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
        ...(bank ? { bik: '044525225', settlementAccount: '40702810938000000001' } : {}),
      },
    });
    await db.partner.create({
      data: {
        id,
        organizationId: org,
        applicationId: randomUUID(),
        name: `Partner ${org}`,
        billingAccountId: account,
        taxationType: 'simplified',
        startDate: new Date('2026-01-01T00:00:00Z'),
        approvedBy: 'user-maria',
      },
    });
  }

  beforeAll(async () => {
    db = testDatabase();
    await createPartner(partnerId, `org-rebates-e2e-${tag}`, false);
    await createPartner(otherPartnerId, `org-rebates-e2e-other-${tag}`, true);
    const rebates = createRebateRepository(db);
    await rebates.credit({
      partnerId,
      key: `e2e:${partnerId}:1`,
      kind: 'project_rebate',
      amount: '500.00',
      month: '2026-01',
      explanation: { description: 'Project growth rebate' },
    });
    await rebates.credit({
      partnerId: otherPartnerId,
      key: `e2e:${otherPartnerId}:1`,
      kind: 'specialization_rebate',
      amount: '50.00',
      month: '2026-03',
      explanation: { description: 'Specialization rebate' },
    });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId: `org-rebates-e2e-${tag}`,
    });
    tokens.other = await issuer.issue({
      subject: `user-other-${tag}`,
      role: 'partner',
      organizationId: `org-rebates-e2e-other-${tag}`,
    });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  it('withdraws to Bonus once (201), and answers a repeat with the same key with the original (200)', async () => {
    const first = await withdraw({ amount: '200.00', target: 'bonus' }, `bonus-${tag}`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      target: 'bonus',
      amount: '200.00',
      month: monthInMoscow(new Date().toISOString()),
      bankBik: null,
    });
    const again = await withdraw({ amount: '200.00', target: 'bonus' }, `bonus-${tag}`);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await db.withdrawal.count({ where: { partnerId } })).toBe(1);

    const different = await withdraw<Problem>(
      { amount: '250.00', target: 'bonus' },
      `bonus-${tag}`,
    );
    expect(different.status).toBe(409);
    expect(different.body.detail).toMatch(/this idempotency key was used for a different request/);
  });

  it('refuses more than the balance with 422, naming the balance', async () => {
    // 500.00 credited − 200.00 withdrawn = 300.00.
    const res = await withdraw<Problem>({ amount: '300.01', target: 'bonus' }, `big-${tag}`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toMatchObject([
      { field: 'amount', message: expect.stringContaining('300.00') as string },
    ]);
  });

  it('refuses a payout to the bank without bank details (422 on target)', async () => {
    const res = await withdraw<Problem>({ amount: '10.00', target: 'bank' }, `bank-${tag}`);
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0]?.field).toBe('target');
    expect(res.body.errors?.[0]?.message).toMatch(/bank details/);
  });

  it('pays out to the bank details of the billing account', async () => {
    const res = await withdraw({ amount: '20.00', target: 'bank' }, `bank-${tag}`, tokens.other);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      target: 'bank',
      amount: '20.00',
      month: null,
      bankBik: '044525225',
      bankAccount: '40702810938000000001',
    });
  });

  it('requires the Idempotency-Key header (400)', async () => {
    const missing = await withdraw<Problem>({ amount: '10.00', target: 'bonus' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.field).toBe('header.Idempotency-Key');
    const malformed = await withdraw<Problem>({ amount: '10.00', target: 'bonus' }, 'no spaces!');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.field).toBe('header.Idempotency-Key');
  });

  it.each(['10.001', '-5', 'abc', '0', '1000000000.01'])(
    'refuses the amount %p with 400 on body.amount',
    async (amount) => {
      const res = await withdraw<Problem>({ amount, target: 'bonus' }, `bad-${tag}`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toEqual(['body.amount']);
    },
  );

  it('shows the ledger newest first with running balances', async () => {
    const res = await call<Ledger>('GET', '/v1/partners/me/rebates', tokens.partner);
    expect(res.status).toBe(200);
    expect(res.body.balance).toBe('300.00');
    expect(res.body.entries.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['withdrawal_to_bonus', '-200.00', '300.00'],
      ['project_rebate', '500.00', '500.00'],
    ]);
    expect(res.body.entries[1]?.explanation).toEqual({ description: 'Project growth rebate' });
  });

  it('keeps each partner to its own ledger; managers and finance see any', async () => {
    const other = await call<Ledger>('GET', '/v1/partners/me/rebates', tokens.other);
    expect(other.body).toMatchObject({ partnerId: otherPartnerId, balance: '30.00' });
    expect((await call('GET', `/v1/partners/${partnerId}/rebates`, tokens.other)).status).toBe(403);

    const manager = await call<Ledger>('GET', `/v1/partners/${partnerId}/rebates`, tokens.manager);
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({ partnerId, balance: '300.00' });
    const finance = await call<Ledger>(
      'GET',
      `/v1/partners/${partnerId}/rebates?limit=1`,
      tokens.finance,
    );
    expect(finance.body.entries).toHaveLength(1);
    expect(finance.body.balance).toBe('300.00');
    expect((await call('GET', `/v1/partners/${randomUUID()}/rebates`, tokens.manager)).status).toBe(
      404,
    );
  });
});
