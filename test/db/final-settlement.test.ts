import { randomUUID } from 'node:crypto';
import { settleVarMonth } from '../../domain/settlement';
import type { Database } from '../../prisma/client';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { testDatabase } from '../support/env';
import { createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * The final invoice of a partner who left, against the month's close, in the database: never
 * a line billed twice, whichever comes first. Each case has a month of its own in 2023.
 */
describe('final invoice and the month close', () => {
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  let seq = 0;

  beforeAll(() => {
    db = testDatabase();
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  async function leftPartner(name: string, exitDate: string): Promise<PartnerFixture> {
    const partner = await createPartner(db, {
      tag: `fin-${tag}-${name}`,
      name,
      memberSince: '2023-01-01',
    });
    const last = new Date(Date.parse(`${exitDate}T00:00:00Z`) - 86_400_000);
    await db.partner.update({
      where: { id: partner.partnerId },
      data: { status: 'left', exitDate: new Date(`${exitDate}T00:00:00Z`), endedAt: new Date() },
    });
    await db.programMembership.updateMany({
      where: { partnerId: partner.partnerId },
      data: { endDate: last },
    });
    return partner;
  }

  async function consume(accountId: string, date: string, amount: string) {
    await db.consumptionLine.create({
      data: {
        sourceId: `fin-${tag}-${(seq += 1)}`,
        billingAccountId: accountId,
        cloudId: 'c',
        folderId: 'f',
        serviceId: 'compute',
        sku: 's',
        usageDate: new Date(`${date}T00:00:00Z`),
        amount,
      },
    });
  }

  it('issues no final invoice when the month’s close invoiced the partial month first', async () => {
    const repo = createSettlementRepository(db);
    const partner = await leftPartner('close-first', '2023-07-16');
    const [customer] = partner.customerIds as [string];
    await consume(customer, '2023-07-10', '100.00');
    await consume(customer, '2023-07-20', '900.00'); // after the exit: not the partner's
    const plan = await repo.beginClose('2023-07');
    const closePartner = (await repo.partnerForClose(partner.partnerId))!;
    expect(closePartner.exitDate).toBe('2023-07-16');
    const monthly = await repo.issueMonthlyInvoice(
      closePartner,
      plan,
      settleVarMonth(await repo.settlementInput(closePartner, plan)),
      new Date(),
    );
    // 100.00 − 10% bonus = 90.00: the 900.00 after the exit is left out.
    expect(monthly.payable).toBe('90.00');
    const final = await repo.issueFinalInvoice(partner.partnerId, new Date(), settleVarMonth);
    expect(final).toEqual({ coveredBy: monthly.number, month: '2023-07' });
    expect(await db.invoice.count({ where: { partnerId: partner.partnerId } })).toBe(1);
  });

  it('bills only what arrived after the final invoice, and refuses a settlement read before it', async () => {
    const repo = createSettlementRepository(db);
    const partner = await leftPartner('final-first', '2023-08-21');
    const [customer] = partner.customerIds as [string];
    await consume(customer, '2023-08-05', '200.00');
    const closePartner = (await repo.partnerForClose(partner.partnerId))!;
    const staleBasis = await repo.billingBasis(partner.partnerId, '2023-08');

    const final = await repo.issueFinalInvoice(partner.partnerId, new Date(), settleVarMonth);
    expect(final).toMatchObject({ created: true, payable: '180.00', month: '2023-08' });
    const again = await repo.issueFinalInvoice(partner.partnerId, new Date(), settleVarMonth);
    expect(again).toMatchObject({ created: false, payable: '180.00' });
    await consume(customer, '2023-08-20', '40.00'); // late, before the exit date

    const plan = await repo.beginClose('2023-08');
    // A close that read the month before the final invoice was issued must not write.
    const stale = settleVarMonth(await repo.settlementInput(closePartner, plan, staleBasis));
    await expect(
      repo.issueMonthlyInvoice(closePartner, plan, stale, new Date(), staleBasis),
    ).rejects.toThrow(/changed while settling/);
    // Read again, it bills the late 40.00 only: 40.00 − 10% = 36.00.
    const basis = await repo.billingBasis(partner.partnerId, '2023-08');
    const fresh = settleVarMonth(await repo.settlementInput(closePartner, plan, basis));
    const monthly = await repo.issueMonthlyInvoice(closePartner, plan, fresh, new Date(), basis);
    expect(monthly.payable).toBe('36.00');
    const invoices = await db.invoice.findMany({
      where: { partnerId: partner.partnerId },
      orderBy: { issuedAt: 'asc' },
    });
    expect(invoices.map((i) => [i.kind, i.consumptionTotal.toFixed(2)])).toEqual([
      ['final', '200.00'],
      ['monthly', '40.00'],
    ]);
  });

  it('issues no interim invoice for a partner who left', async () => {
    const repo = createSettlementRepository(db);
    const partner = await leftPartner('interim', '2023-09-10');
    await db.partner.update({
      where: { id: partner.partnerId },
      data: { billingThreshold: '10.00' },
    });
    await consume(partner.customerIds[0] as string, '2023-09-05', '500.00');
    expect(
      await repo.issueInterimInvoiceIfDue(partner.partnerId, '2023-09', new Date(), settleVarMonth),
    ).toBeNull();
  });
});
