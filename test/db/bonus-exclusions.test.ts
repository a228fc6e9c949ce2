import { randomUUID } from 'node:crypto';
import { settleVarMonth } from '../../domain/settlement';
import { BONUS_EXCLUDED_SERVICES, recordedRanges } from '../../domain/settlement/billing';
import type { Database } from '../../prisma/client';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { testDatabase } from '../support/env';
import { createPartner } from '../support/fixtures';

/**
 * The services excluded from the bonus (SPEC §2: Marketplace, Managed Service for MongoDB
 * (StoreDoc), Cloud Interconnect), through the real catalogue and the real SQL that sums the
 * eligible base, in this file's own database.
 */
describe('services excluded from the bonus', () => {
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const MONTH = '2024-03';

  beforeAll(() => {
    db = testDatabase();
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('the service catalogue marks exactly the domain’s excluded services', async () => {
    const excluded = await db.service.findMany({
      where: { excludedFromBonus: true },
      select: { id: true, name: true },
      orderBy: { id: 'asc' },
    });
    const expected = [...BONUS_EXCLUDED_SERVICES]
      .map(({ id, name }) => ({ id, name }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(excluded).toEqual(expected);
    expect(expected.map((s) => s.id)).toEqual([
      'cloud-interconnect',
      'managed-mongodb',
      'marketplace',
    ]);
  });

  it('Marketplace, Managed MongoDB (StoreDoc) and Cloud Interconnect lines go through the real SQL and earn no bonus', async () => {
    const repo = createSettlementRepository(db);
    const fixture = await createPartner(db, {
      tag: `excl-${tag}`,
      name: 'ООО «Исключения»',
      memberSince: `${MONTH}-01`,
    });
    const customer = fixture.customerIds[0] as string;
    const lines: [string, string, string][] = [
      ['compute', `${MONTH}-01`, '1000.00'],
      ['marketplace', `${MONTH}-02`, '300.00'],
      ['managed-mongodb', `${MONTH}-03`, '200.00'],
      ['cloud-interconnect', `${MONTH}-04`, '100.00'],
    ];
    for (const [serviceId, date, amount] of lines) {
      await db.consumptionLine.create({
        data: {
          sourceId: `excl-${tag}-${serviceId}`,
          billingAccountId: customer,
          cloudId: 'cloud-excl',
          folderId: 'folder-excl',
          serviceId,
          sku: `${serviceId}.standard`,
          usageDate: new Date(`${date}T00:00:00Z`),
          amount,
        },
      });
    }

    const plan = await repo.beginClose(MONTH);
    const partners = await repo.partnersForClose([fixture.partnerId]);
    const partner = partners.get(fixture.partnerId)!;
    const bases = await repo.billingBases([fixture.partnerId], MONTH);
    const read = (await repo.closeInputs([partner], plan, bases)).get(fixture.partnerId)!;
    // The SQL sums the eligible consumption: only compute's 1000.00 counts. The customer has
    // no deal, so its month comes as one sum, dated by its first day with consumption.
    expect(read.input.days.map((d) => [d.date, Number(d.amount), Number(d.eligible)])).toEqual([
      [`${MONTH}-01`, 1600, 1000],
    ]);
    expect(read.days.map((d) => d.lines)).toEqual([4]);

    const settlement = settleVarMonth(read.input);
    const issued = await repo.issueMonthlyInvoices(
      [
        {
          partner,
          settlement,
          basis: bases.get(fixture.partnerId)!,
          ranges: recordedRanges(read.ranges, read.days),
        },
      ],
      plan,
      new Date(),
    );
    const invoice = await db.invoice.findUniqueOrThrow({
      where: { id: issued.get(fixture.partnerId)!.invoiceId },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    // consumption 1000.00 + 300.00 + 200.00 + 100.00 = 1600.00
    expect(invoice.consumptionTotal.toFixed(2)).toBe('1600.00');
    // eligible 1000.00 (the excluded services left out)
    expect(invoice.eligibleBase.toFixed(2)).toBe('1000.00');
    // discount 10% × 1000.00 = 100.00 (not 10% × 1600.00 = 160.00)
    expect(invoice.discountTotal.toFixed(2)).toBe('100.00');
    // payable 1600.00 − 100.00 = 1500.00
    expect(invoice.payable.toFixed(2)).toBe('1500.00');
    const bonus = invoice.lines.find((l) => l.kind === 'base_bonus')!;
    expect([bonus.base?.toFixed(2), bonus.amount.toFixed(2)]).toEqual(['1000.00', '-100.00']);

    // Every line billed once, all four of them, and the month reconciles.
    const ranges = await db.billedRange.findMany({ where: { partnerId: fixture.partnerId } });
    expect(ranges.map((r) => [r.kind, r.lineCount, r.amount.toFixed(2)])).toEqual([
      ['own', 4, '1600.00'],
    ]);
    expect(await repo.completeClose(MONTH, new Date())).toEqual({ difference: '0' });
    expect(await repo.ledgerViolations()).toEqual([]);
  });
});
