import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import type { Database } from '../../prisma/client';
import {
  createRebateRepository,
  type RebateRepository,
} from '../../prisma/repositories/rebate.repository';
import { testDatabase } from '../support/env';

/**
 * The rebate balance on a real PostgreSQL: withdrawals debit the append-only ledger under the
 * partner's lock, once per idempotency key, and never below zero — also when they race.
 */
describe('rebate balance and withdrawals', () => {
  let db: Database;
  let rebates: RebateRepository;
  const bank = { bik: '044525225', account: '40702810938000000001' };

  async function newPartner(): Promise<string> {
    const id = randomUUID();
    await db.partner.create({
      data: {
        id,
        organizationId: `org-rebates-${id}`,
        applicationId: randomUUID(),
        name: 'ООО «Ребейт»',
        billingAccountId: `ba-rebates-${id}`,
        taxationType: 'simplified',
        startDate: new Date('2026-01-01T00:00:00Z'),
        approvedBy: 'user-maria',
      },
    });
    return id;
  }

  async function credit(partnerId: string, amount: string, key = `credit:${randomUUID()}`) {
    return rebates.credit({
      partnerId,
      key,
      kind: 'project_rebate',
      amount,
      month: '2026-01',
      explanation: { description: 'test credit' },
    });
  }

  const withdraw = (
    partnerId: string,
    clientKey: string,
    amount: string,
    target: 'bonus' | 'bank' = 'bonus',
  ) =>
    rebates.withdraw({
      partnerId,
      clientKey,
      target,
      amount,
      month: target === 'bonus' ? '2026-02' : null,
      requestedBy: 'user-test',
      bank: target === 'bank' ? bank : null,
    });

  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  beforeAll(() => {
    db = testDatabase();
    rebates = createRebateRepository(db);
  });

  afterAll(async () => {
    await db.$disconnect();
  });

  it('debits a withdrawal to Bonus from the balance and records it for the month', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '500.00');
    const { withdrawal, created } = await withdraw(partnerId, 'w-1', '200.00');
    expect(created).toBe(true);
    expect(withdrawal).toMatchObject({
      partnerId,
      target: 'bonus',
      amount: '200.00',
      month: '2026-02',
      requestedBy: 'user-test',
      bankBik: null,
      bankAccount: null,
    });
    expect(await rebates.balance(partnerId)).toBe('300.00');
    expect(await rebates.withdrawalsToBonus(partnerId, '2026-02')).toBe('200.00');
    expect(await rebates.withdrawalsToBonus(partnerId, '2026-03')).toBe('0.00');

    const ledger = await rebates.ledger(partnerId, { limit: 10 });
    expect(ledger.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['withdrawal_to_bonus', '-200.00', '300.00'],
      ['project_rebate', '500.00', '500.00'],
    ]);
    expect(ledger[0]?.explanation).toMatchObject({
      withdrawalId: withdrawal.id,
      target: 'bonus',
      month: '2026-02',
      balanceBefore: '500.00',
    });
  });

  it('does a repeated request with the same key only once', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '500.00');
    const first = await withdraw(partnerId, 'same-key', '200.00');
    const second = await withdraw(partnerId, 'same-key', '200.00');
    expect(second.created).toBe(false);
    expect(second.withdrawal).toEqual(first.withdrawal);
    expect(await db.withdrawal.count({ where: { partnerId } })).toBe(1);
    expect(await db.rebateLedgerEntry.count({ where: { partnerId } })).toBe(2);
    expect(await rebates.balance(partnerId)).toBe('300.00');
  });

  it('refuses the same key for a different amount or target as a conflict', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '500.00');
    await withdraw(partnerId, 'k', '200.00');
    const amount = await refusal(withdraw(partnerId, 'k', '150.00'));
    expect(amount.code).toBe('conflict');
    expect(amount.message).toMatch(/this idempotency key was used for a different request/);
    const target = await refusal(withdraw(partnerId, 'k', '200.00', 'bank'));
    expect(target.code).toBe('conflict');
    expect(await rebates.balance(partnerId)).toBe('300.00');
  });

  it('never overdraws: of 20 concurrent withdrawals of 100.00 from 1000.00, exactly 10 succeed', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '1000.00');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => withdraw(partnerId, `race-${i}`, '100.00')),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect((r.reason as DomainError).code).toBe('validation_failed');
      expect((r.reason as DomainError).fields[0]?.field).toBe('amount');
    }
    expect(await rebates.balance(partnerId)).toBe('0.00');
    const ledger = await rebates.ledger(partnerId, { limit: 100 });
    expect(ledger).toHaveLength(11);
    expect(ledger.every((e) => !e.balanceAfter.startsWith('-'))).toBe(true);
  });

  it('refuses more than the balance, naming the available amount, and changes nothing', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '500.00');
    await withdraw(partnerId, 'a', '200.00');
    const error = await refusal(withdraw(partnerId, 'b', '300.01'));
    expect(error.code).toBe('validation_failed');
    // 500.00 − 200.00 = 300.00 available, named in the message and in the parameters.
    expect(error.fields).toEqual([
      {
        field: 'amount',
        message: expect.stringContaining('300.00') as string,
        code: 'exceeds_balance',
        params: { balance: '300.00' },
      },
    ]);
    expect(await rebates.balance(partnerId)).toBe('300.00');
    expect(await db.withdrawal.count({ where: { partnerId } })).toBe(1);
    // Exactly the balance is allowed.
    expect((await withdraw(partnerId, 'c', '300.00')).created).toBe(true);
    expect(await rebates.balance(partnerId)).toBe('0.00');
  });

  it('pays out to the bank only with bank details, and records them on the withdrawal', async () => {
    const partnerId = await newPartner();
    await credit(partnerId, '500.00');
    const error = await refusal(
      rebates.withdraw({
        partnerId,
        clientKey: 'no-bank',
        target: 'bank',
        amount: '100.00',
        month: null,
        requestedBy: 'user-test',
        bank: null,
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.fields[0]?.field).toBe('target');
    expect(error.message).toMatch(/bank details/);
    expect(await rebates.balance(partnerId)).toBe('500.00');

    const { withdrawal } = await withdraw(partnerId, 'payout', '100.00', 'bank');
    expect(withdrawal).toMatchObject({
      target: 'bank',
      amount: '100.00',
      month: null,
      bankBik: '044525225',
      bankAccount: '40702810938000000001',
    });
    const [entry] = await rebates.ledger(partnerId, { limit: 1 });
    expect(entry).toMatchObject({ kind: 'withdrawal_to_bank', amount: '-100.00' });
    expect(entry?.balanceAfter).toBe('400.00');
    expect(await rebates.withdrawalsToBonus(partnerId, '2026-02')).toBe('0.00');
  });

  it('credits once per key and keeps the ledger of each partner apart', async () => {
    const partnerId = await newPartner();
    const other = await newPartner();
    const first = await credit(partnerId, '70.50', 'project_growth:p-1:2026-01');
    const again = await credit(partnerId, '70.50', 'project_growth:p-1:2026-01');
    expect(first.created).toBe(true);
    expect(again).toEqual({ entryId: first.entryId, created: false });
    await credit(other, '10.00');
    expect(await rebates.balance(partnerId)).toBe('70.50');
    expect(await rebates.balance(other)).toBe('10.00');
    expect(await rebates.balance(randomUUID())).toBe('0.00');
  });
});
