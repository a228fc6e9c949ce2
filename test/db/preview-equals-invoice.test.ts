import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSettlementActivities } from '../../activities/settlement.activities';
import { createPreviewCache } from '../../api/features/settlement/preview-cache';
import {
  createSettlementService,
  type RunningInvoice,
} from '../../api/features/settlement/settlement.service';
import type { Database } from '../../prisma/client';
import { createPartnerRepository } from '../../prisma/repositories/partner.repository';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import {
  listenForSettlementChanges,
  type SettlementChanges,
} from '../../prisma/settlement-changes';
import { testDatabase } from '../support/env';
import { consumeLine, createPartner } from '../support/fixtures';

/**
 * The running invoice a partner watches during the month (kept between requests by the API's
 * cache) is the invoice the close then issues: same lines, same amounts, to the kopeck.
 */
describe('running invoice and the issued invoice', () => {
  const month = '2024-03';
  const tag = randomUUID().slice(0, 8);
  let db: Database;
  let changes: SettlementChanges;

  beforeAll(async () => {
    db = testDatabase();
    changes = listenForSettlementChanges(process.env.DATABASE_URL as string);
    const deadline = Date.now() + 10_000;
    while (!changes.listening() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(async () => {
    await changes?.close();
    await db?.$disconnect();
  });

  it('previews during the month exactly what the close issues after it', async () => {
    const partner = await createPartner(db, {
      tag: `prev-${tag}`,
      name: 'ООО «Предпросмотр»',
      customers: 2,
      memberSince: '2024-01-01',
    });
    const [first, second] = partner.customerIds as [string, string];
    let n = 0;
    const consume = (accountId: string, date: string, amount: string, grants?: string) =>
      consumeLine(db, {
        sourceId: `prev-${tag}-${++n}`,
        accountId,
        date,
        amount,
        ...(grants ? { grants } : {}),
      });

    const settlements = createSettlementRepository(db, { programFirstMonth: '2024-01' });
    const service = createSettlementService({
      workflows: {} as never, // the running invoice never calls Temporal
      taskQueue: 'unused',
      settlements,
      partners: createPartnerRepository(db),
      programFirstMonth: '2024-01',
      now: () => new Date(`${month}-20T09:00:00Z`),
      previewCache: createPreviewCache<RunningInvoice>(changes),
    });
    const principal = {
      subject: 'u-prev',
      role: 'partner' as const,
      organizationId: partner.organizationId,
    };

    await consume(first, `${month}-02`, '1000.00');
    await consume(second, `${month}-05`, '333.33', '33.33');
    const early = await service.preview(principal);
    // 1000.00 + 333.33 = 1333.33 consumed; grants 33.33; eligible 1300.00; bonus 10 % = 130.00;
    // payable 1333.33 − 33.33 − 130.00 = 1170.00.
    expect(early.totals).toMatchObject({
      consumptionTotal: '1333.33',
      grantsTotal: '33.33',
      discountTotal: '130.00',
      payable: '1170.00',
    });
    expect(await service.preview(principal)).toBe(early); // kept: nothing changed

    // More consumption (and the partner's own) arrives: the very next preview shows it.
    await consume(first, `${month}-19`, '0.07');
    await consume(partner.ownAccountId, `${month}-19`, '500.00');
    const late = await service.preview(principal);
    // 1333.33 + 0.07 + 500.00 (own, no bonus) = 1833.40; eligible 1300.07 → bonus 130.01
    // (130.007 rounded half-up); payable 1833.40 − 33.33 − 130.01 = 1670.06.
    expect(late.totals).toMatchObject({
      consumptionTotal: '1833.40',
      discountTotal: '130.01',
      payable: '1670.06',
    });

    // The month ends; the close runs its activities as the workflow would.
    const env = new MockActivityEnvironment();
    const acts = createSettlementActivities({
      settlements,
      programFirstMonth: '2024-01',
      now: () => new Date('2024-04-01T00:30:00Z'),
    });
    const plan: Awaited<ReturnType<typeof acts.beginMonthClose>> = await env.run(
      (input: { month: string }) => acts.beginMonthClose(input),
      { month },
    );
    await env.run(
      (input: Parameters<typeof acts.settlePartners>[0]) => acts.settlePartners(input),
      {
        plan,
        partnerIds: [partner.partnerId],
      },
    );
    await env.run((input: { month: string }) => acts.completeMonthClose(input), { month });

    const invoice = await db.invoice.findFirstOrThrow({
      where: { partnerId: partner.partnerId, month, kind: 'monthly' },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    expect({
      consumptionTotal: invoice.consumptionTotal.toFixed(2),
      grantsTotal: invoice.grantsTotal.toFixed(2),
      discountTotal: invoice.discountTotal.toFixed(2),
      payable: invoice.payable.toFixed(2),
    }).toEqual({
      consumptionTotal: late.totals.consumptionTotal,
      grantsTotal: late.totals.grantsTotal,
      discountTotal: late.totals.discountTotal,
      payable: late.totals.payable,
    });
    expect(invoice.lines.map((l) => [l.kind, l.description, l.amount.toFixed(2)])).toEqual(
      late.lines.map((l) => [l.kind, l.description, l.amount]),
    );
  });
});
