import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import type { Database } from '../../prisma/client';
import { createLifecycleRepository } from '../../prisma/repositories/lifecycle.repository';
import { createPayoutRepository } from '../../prisma/repositories/payout.repository';
import { createRebateRepository } from '../../prisma/repositories/rebate.repository';
import { testDatabase } from '../support/env';
import { createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * No payout without a destination (SPEC §4): a partner who left without valid bank details
 * keeps its rebate balance, finance sees the payout awaiting them, and giving them pays the
 * balance exactly once — however often, and however concurrently, they are given.
 */
const BIK = '044525225';
const ACCOUNT = '40702810938000000001';
const WRONG_KEY = '40702810938000000002';

describe('final payout without bank details', () => {
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  let seq = 0;

  beforeAll(() => {
    db = testDatabase();
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  async function departed(
    name: string,
    options: { balance: string; bank?: { bik: string | null; account: string | null } },
  ): Promise<PartnerFixture> {
    const partner = await createPartner(db, {
      tag: `payout-${tag}-${(seq += 1)}`,
      name,
      memberSince: '2024-01-01',
    });
    if (options.bank) {
      await db.billingAccount.update({
        where: { id: partner.ownAccountId },
        data: { bik: options.bank.bik, settlementAccount: options.bank.account },
      });
    }
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `payout-test:${partner.partnerId}`,
        kind: 'project_rebate',
        amount: options.balance,
        month: '2024-05',
      },
    });
    await db.partner.update({
      where: { id: partner.partnerId },
      data: { status: 'left', exitDate: new Date('2024-06-15T00:00:00Z'), endedAt: new Date() },
    });
    return partner;
  }

  async function moneyOf(partnerId: string) {
    const ledger = await db.rebateLedgerEntry.aggregate({
      where: { partnerId },
      _sum: { amount: true },
    });
    const withdrawals = await db.withdrawal.findMany({ where: { partnerId } });
    return {
      balance: ledger._sum.amount?.toFixed(2),
      withdrawals: withdrawals.map((w) => [
        w.target,
        w.amount.toFixed(2),
        w.bankBik,
        w.bankAccount,
      ]),
    };
  }

  it('a departed partner without bank details gets no payout, and finance sees it awaiting them', async () => {
    const lifecycle = createLifecycleRepository(db);
    const payouts = createPayoutRepository(db);
    const partner = await departed('ООО «Без реквизитов»', { balance: '1234.56' });

    const first = await lifecycle.payOutRebateBalance(partner.partnerId);
    const retried = await lifecycle.payOutRebateBalance(partner.partnerId); // a retried activity
    const expected = {
      status: 'awaiting_bank_details',
      amount: '1234.56',
      problems: [
        { field: 'bik', message: 'is not recorded', code: 'required' },
        { field: 'account', message: 'is not recorded', code: 'required' },
      ],
    };
    expect(first).toEqual(expected);
    expect(retried).toEqual(expected);
    // Nothing paid, the balance kept on the ledger.
    expect(await moneyOf(partner.partnerId)).toEqual({ balance: '1234.56', withdrawals: [] });

    const awaiting = await payouts.list({ status: 'awaiting_bank_details', limit: 500 });
    expect(awaiting.filter((p) => p.partnerId === partner.partnerId)).toEqual([
      expect.objectContaining({
        partnerName: 'ООО «Без реквизитов»',
        partnerStatus: 'left',
        status: 'awaiting_bank_details',
        amount: '1234.56',
        requestedBy: 'exit',
        heldBecause: expected.problems,
        paidAt: null,
        withdrawalId: null,
      }),
    ]);
    const paid = await payouts.list({ status: 'paid', limit: 500 });
    expect(paid.some((p) => p.partnerId === partner.partnerId)).toBe(false);
  });

  it('holds a payout whose account on file does not match the BIK', async () => {
    const lifecycle = createLifecycleRepository(db);
    const partner = await departed('ООО «Ошибка в счёте»', {
      balance: '10.00',
      bank: { bik: BIK, account: WRONG_KEY },
    });
    expect(await lifecycle.payOutRebateBalance(partner.partnerId)).toEqual({
      status: 'awaiting_bank_details',
      amount: '10.00',
      problems: [
        { field: 'account', message: 'control key does not match the BIK', code: 'account_key' },
      ],
    });
    expect(await moneyOf(partner.partnerId)).toEqual({ balance: '10.00', withdrawals: [] });
  });

  it('pays at once, as before, when the bank details are valid', async () => {
    const lifecycle = createLifecycleRepository(db);
    const partner = await departed('ООО «С реквизитами»', {
      balance: '99.99',
      bank: { bik: BIK, account: ACCOUNT },
    });
    const payout = await lifecycle.payOutRebateBalance(partner.partnerId);
    expect(payout).toMatchObject({ status: 'paid', amount: '99.99', bankAccount: ACCOUNT });
    expect(await moneyOf(partner.partnerId)).toEqual({
      balance: '0.00',
      withdrawals: [['bank', '99.99', BIK, ACCOUNT]],
    });
    const [row] = (await createPayoutRepository(db).list({ status: 'paid', limit: 500 })).filter(
      (p) => p.partnerId === partner.partnerId,
    );
    expect(row).toMatchObject({ amount: '99.99', heldBecause: null, bankAccount: ACCOUNT });
  });

  it('refuses invalid bank details and changes nothing', async () => {
    const lifecycle = createLifecycleRepository(db);
    const payouts = createPayoutRepository(db);
    const partner = await departed('ООО «Неверные реквизиты»', { balance: '50.00' });
    await lifecycle.payOutRebateBalance(partner.partnerId);
    const before = await db.billingAccount.findUniqueOrThrow({
      where: { id: partner.ownAccountId },
    });
    for (const [bik, account, field] of [
      [BIK, WRONG_KEY, 'account'],
      ['04452522', ACCOUNT, 'bik'],
      [BIK, '', 'account'],
    ] as const) {
      const attempt = payouts.giveBankDetails({
        partnerId: partner.partnerId,
        bik,
        account,
        actor: 'user-test',
        at: new Date(),
      });
      await expect(attempt).rejects.toBeInstanceOf(DomainError);
      await expect(attempt).rejects.toMatchObject({
        code: 'validation_failed',
        fields: [expect.objectContaining({ field })],
      });
    }
    expect(
      await db.billingAccount.findUniqueOrThrow({ where: { id: partner.ownAccountId } }),
    ).toEqual(before);
    expect(await moneyOf(partner.partnerId)).toEqual({ balance: '50.00', withdrawals: [] });
    expect(await db.finalPayout.findUnique({ where: { partnerId: partner.partnerId } })).toEqual(
      expect.objectContaining({ status: 'awaiting_bank_details' }),
    );
  });

  it('after giving bank details the departed partner is paid once, given three times at once', async () => {
    const lifecycle = createLifecycleRepository(db);
    const payouts = createPayoutRepository(db);
    const partner = await departed('ООО «Дали реквизиты»', { balance: '777.77' });
    await lifecycle.payOutRebateBalance(partner.partnerId);

    const give = (actor: string) =>
      payouts.giveBankDetails({
        partnerId: partner.partnerId,
        bik: BIK,
        account: ACCOUNT,
        actor,
        at: new Date(),
      });
    const results = await Promise.all([give('user-partner'), give('user-maria'), give('user-x')]);
    for (const result of results) {
      expect(result.finalPayout).toMatchObject({
        status: 'paid',
        amount: '777.77',
        bankBik: BIK,
        bankAccount: ACCOUNT,
      });
    }
    // The details were recorded once; the others found them already there.
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    const ids = new Set(
      results.map((r) => (r.finalPayout?.status === 'paid' ? r.finalPayout.withdrawalId : '')),
    );
    expect(ids.size).toBe(1);

    // Later: the details given again, the activity retried — nothing more is paid.
    await give('user-partner');
    expect(await lifecycle.payOutRebateBalance(partner.partnerId)).toMatchObject({
      status: 'paid',
      amount: '777.77',
    });
    expect(await moneyOf(partner.partnerId)).toEqual({
      balance: '0.00',
      withdrawals: [['bank', '777.77', BIK, ACCOUNT]],
    });
    const ledger = await db.rebateLedgerEntry.findMany({
      where: { partnerId: partner.partnerId },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([
      ['project_rebate', '777.77'],
      ['final_payout', '-777.77'],
    ]);
    const [row] = (await payouts.list({ status: 'paid', limit: 500 })).filter(
      (p) => p.partnerId === partner.partnerId,
    );
    expect(row).toMatchObject({
      status: 'paid',
      amount: '777.77',
      heldBecause: [
        { field: 'bik', message: 'is not recorded' },
        { field: 'account', message: 'is not recorded' },
      ],
      withdrawalId: [...ids][0],
      bankAccount: ACCOUNT,
    });
    const told = await db.notification.findMany({
      where: { organizationId: partner.organizationId, kind: 'rebate_paid_out' },
    });
    expect(told.map((n) => n.body)).toEqual([
      `Your rebate balance of 777.77 RUB is paid out to the settlement account ${ACCOUNT} (BIK ${BIK}).`,
    ]);
    const audit = await db.auditEvent.findMany({
      where: { entityType: 'partner', entityId: partner.partnerId, action: 'give_bank_details' },
    });
    expect(audit).toHaveLength(1);
  });

  it('never withdraws to the bank to an invalid account', async () => {
    const rebates = createRebateRepository(db);
    const partner = await createPartner(db, {
      tag: `payout-${tag}-active`,
      name: 'ООО «Действующий»',
      memberSince: '2024-01-01',
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `payout-test:${partner.partnerId}`,
        kind: 'project_rebate',
        amount: '100.00',
      },
    });
    const withdraw = (bank: { bik: string; account: string } | null) =>
      rebates.withdraw({
        partnerId: partner.partnerId,
        clientKey: randomUUID(),
        target: 'bank',
        amount: '10.00',
        month: null,
        requestedBy: 'user-test',
        bank,
      });
    for (const bank of [null, { bik: BIK, account: WRONG_KEY }, { bik: '', account: '' }]) {
      await expect(withdraw(bank)).rejects.toMatchObject({
        code: 'validation_failed',
        fields: [expect.objectContaining({ field: 'target' })],
      });
    }
    expect(await moneyOf(partner.partnerId)).toEqual({ balance: '100.00', withdrawals: [] });
    const { withdrawal } = await withdraw({ bik: BIK, account: ACCOUNT });
    expect(withdrawal).toMatchObject({ bankBik: BIK, bankAccount: ACCOUNT, amount: '10.00' });
  });
});
