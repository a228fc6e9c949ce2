import { randomUUID } from 'node:crypto';
import type { ConsumptionLineInput } from '../../domain/consumption';
import type { Database } from '../../prisma/client';
import {
  committedWatermark,
  createConsumptionRepository,
} from '../../prisma/repositories/consumption.repository';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { testDatabase } from '../support/env';

/**
 * The consumption tallies that the month close's reconciliation reads instead of the month's
 * lines: PostgreSQL keeps them as lines are written, deleted or changed, and no tally ever
 * straddles a watermark a close could have read, however ingestion and closes interleave.
 */
describe('consumption tallies', () => {
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const accounts = [`ba-tally-a-${tag}`, `ba-tally-b-${tag}`];

  beforeAll(async () => {
    db = testDatabase();
    await db.billingAccount.createMany({
      data: accounts.map((id) => ({
        id,
        organizationId: `org-tally-${tag}`,
        name: id,
        type: 'business' as const,
        ownerResident: true,
        paymentMethod: 'invoice' as const,
      })),
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  function batch(prefix: string, count: number): ConsumptionLineInput[] {
    return Array.from({ length: count }, (_, i) => ({
      sourceId: `${tag}-${prefix}-${i}`,
      billingAccountId: accounts[i % 2] as string,
      cloudId: 'cloud-1',
      folderId: 'folder-1',
      serviceId: 'compute',
      sku: 'compute.standard',
      // Spread over two months, so one statement writes four account-months.
      usageDate: i % 3 ? `2025-05-${String(1 + (i % 28)).padStart(2, '0')}` : '2025-06-02',
      amount: `${(i % 97) + 1}.123456`,
      grantAmount: i % 5 ? '0' : '0.5',
    }));
  }

  /** Per account-month: the lines as counted from the lines, and as tallied. */
  async function disagreements() {
    return db.$queryRaw<{ account: string; month: string }[]>`
      WITH lines AS (
        SELECT billing_account_id, date_trunc('month', usage_date)::date AS usage_month,
               count(*) AS n, sum(amount) AS amount, sum(grant_amount) AS grants
          FROM consumption_lines GROUP BY 1, 2
      ), tallied AS (
        SELECT billing_account_id, usage_month, sum(lines) AS n, sum(amount) AS amount, sum(grants) AS grants
          FROM consumption_tallies GROUP BY 1, 2
      )
      SELECT coalesce(l.billing_account_id, t.billing_account_id) AS account,
             to_char(coalesce(l.usage_month, t.usage_month), 'YYYY-MM') AS month
        FROM lines l FULL JOIN tallied t USING (billing_account_id, usage_month)
       WHERE (l.n, l.amount, l.grants) IS DISTINCT FROM (t.n, t.amount, t.grants)`;
  }

  it('follow concurrent, repeated, chunked ingestion, and no tally straddles a watermark read meanwhile', async () => {
    const consumption = createConsumptionRepository(db);
    const watermarks: bigint[] = [];
    let ingesting = true;
    const reader = (async () => {
      while (ingesting) {
        watermarks.push(await db.$transaction((tx) => committedWatermark(tx)));
      }
    })();
    const first = batch('first', 1200);
    await Promise.all([
      consumption.ingest(first, { chunkSize: 100 }),
      consumption.ingest(first, { chunkSize: 70 }),
      consumption.ingest(batch('second', 900), { chunkSize: 50 }),
    ]);
    ingesting = false;
    await reader;

    expect(await db.consumptionLine.count()).toBe(2100);
    expect(await disagreements()).toEqual([]);
    const [totals] = await db.$queryRaw<{ lines: bigint }[]>`
      SELECT sum(lines)::bigint AS lines FROM consumption_tallies`;
    expect(Number(totals?.lines)).toBe(2100);
    expect(watermarks.length).toBeGreaterThan(1);
    const straddling = await db.$queryRaw<{ id: bigint }[]>`
      SELECT t.id FROM consumption_tallies t, unnest(${watermarks.map(String)}::bigint[]) AS w(mark)
       WHERE t.seq_from < w.mark AND w.mark < t.seq_to`;
    expect(straddling).toEqual([]);
  });

  it('follow lines that are changed or deleted by hand, and empty with the lines', async () => {
    await db.$executeRaw`
      UPDATE consumption_lines SET amount = amount + 1, usage_date = '2025-07-01'
       WHERE source_id LIKE ${`${tag}-second-1%`}`;
    await db.$executeRaw`DELETE FROM consumption_lines WHERE source_id LIKE ${`${tag}-first-2%`}`;
    expect(await disagreements()).toEqual([]);
  });

  it('a completed close folds the tallies up to its watermark into one per account and month, and keeps the sums', async () => {
    const before = await db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM consumption_tallies`;
    expect(Number(before[0]?.n)).toBeGreaterThan(6);
    const settlement = createSettlementRepository(db, { programFirstMonth: '2025-05' });
    for (const month of ['2025-05', '2025-06', '2025-07']) {
      await settlement.beginClose(month);
      await settlement.completeClose(month, new Date());
    }
    expect(await disagreements()).toEqual([]);
    const rows = await db.$queryRaw<{ account: string; month: string; n: bigint }[]>`
      SELECT billing_account_id AS account, to_char(usage_month, 'YYYY-MM') AS month, count(*) AS n
        FROM consumption_tallies GROUP BY 1, 2 HAVING count(*) > 1`;
    // The first close's watermark covers every line: one tally per account-month is left.
    expect(rows).toEqual([]);
  });
});
