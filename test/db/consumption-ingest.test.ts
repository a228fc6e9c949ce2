import { randomUUID } from 'node:crypto';
import type { ConsumptionLineInput } from '../../domain/consumption';
import type { Database } from '../../prisma/client';
import {
  createConsumptionRepository,
  SEQ_WATERMARK_LOCK,
  type ConsumptionRepository,
} from '../../prisma/repositories/consumption.repository';
import { testDatabase } from '../support/env';

/**
 * Idempotent ingestion against PostgreSQL: the unique source id decides, whether a batch is
 * repeated, sent twice at once, or split into chunks.
 */
describe('consumption repository', () => {
  let db: Database;
  let repo: ConsumptionRepository;
  const tag = randomUUID().slice(0, 8);
  const account = `ba-ingest-${tag}`;
  const otherAccount = `ba-ingest-other-${tag}`;

  beforeAll(async () => {
    db = testDatabase();
    repo = createConsumptionRepository(db);
    for (const id of [account, otherAccount]) {
      await db.billingAccount.create({
        data: {
          id,
          organizationId: `org-ingest-${tag}`,
          name: id,
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
        },
      });
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
  });

  /** Lines with source ids unique to this test run and `prefix`. */
  function lines(prefix: string, count: number, from = 0): ConsumptionLineInput[] {
    return Array.from({ length: count }, (_, k) => {
      const i = from + k;
      return {
        sourceId: `${tag}-${prefix}-${i}`,
        billingAccountId: account,
        cloudId: `cloud-${i % 3}`,
        folderId: `folder-${i % 7}`,
        serviceId: i % 2 ? 'compute' : 'object-storage',
        sku: `sku-${i % 5}`,
        usageDate: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
        amount: `${i}.000001`,
        grantAmount: '0.5',
      };
    });
  }

  async function stored(prefix: string): Promise<number> {
    return db.consumptionLine.count({ where: { sourceId: { startsWith: `${tag}-${prefix}-` } } });
  }

  it('stores a batch once when it is sent twice', async () => {
    const batch = lines('twice', 300);
    expect(await repo.ingest(batch)).toEqual({
      received: 300,
      inserted: 300,
      duplicates: 0,
      conflicts: [],
    });
    expect(await repo.ingest(batch)).toEqual({
      received: 300,
      inserted: 0,
      duplicates: 300,
      conflicts: [],
    });
    expect(await stored('twice')).toBe(300);
  });

  it('stores 2,000 lines once when two ingests of them run at the same time', async () => {
    const batch = lines('concurrent', 2000);
    const results = await Promise.all([
      repo.ingest(batch, { chunkSize: 500 }),
      repo.ingest(batch, { chunkSize: 500 }),
    ]);
    expect(results.map((r) => r.inserted).reduce((a, b) => a + b)).toBe(2000);
    expect(results.map((r) => r.duplicates).reduce((a, b) => a + b)).toBe(2000);
    expect(results.flatMap((r) => r.conflicts)).toEqual([]);
    expect(await stored('concurrent')).toBe(2000);
  });

  it('does not deadlock when concurrent batches hold the same lines in opposite orders', async () => {
    // One chunk each: unsorted, the two statements would meet in the middle, each waiting
    // for a source id the other has inserted, and PostgreSQL would abort one of them.
    for (let round = 0; round < 3; round++) {
      const batch = lines(`opposite${round}`, 4000);
      const results = await Promise.all([
        repo.ingest(batch, { chunkSize: 4000 }),
        repo.ingest([...batch].reverse(), { chunkSize: 4000 }),
      ]);
      expect(results.map((r) => r.inserted).reduce((a, b) => a + b)).toBe(4000);
      expect(await stored(`opposite${round}`)).toBe(4000);
    }
  });

  it('ingests 12,000 lines in chunks and keeps every amount exact', async () => {
    const batch = lines('chunks', 12_000);
    const result = await repo.ingest(batch);
    expect(result).toMatchObject({ received: 12_000, inserted: 12_000, duplicates: 0 });
    expect(await stored('chunks')).toBe(12_000);
    const sum = await db.consumptionLine.aggregate({
      where: { sourceId: { startsWith: `${tag}-chunks-` } },
      _sum: { amount: true, grantAmount: true },
    });
    // Σ i for i < 12000 = 71,994,000, plus 12,000 × 0.000001.
    expect(sum._sum.amount?.toFixed(6)).toBe('71994000.012000');
    expect(sum._sum.grantAmount?.toFixed(6)).toBe('6000.000000');

    // Overlapping the stored range across a chunk boundary: only the new lines go in.
    const overlap = await repo.ingest(lines('chunks', 6_000, 9_000), { chunkSize: 2_500 });
    expect(overlap).toMatchObject({ received: 6_000, inserted: 3_000, duplicates: 3_000 });
    expect(await stored('chunks')).toBe(15_000);
  });

  it('keeps the first line and reports source ids that arrive again with other content', async () => {
    const batch = lines('conflict', 10);
    await repo.ingest(batch);
    const resent = batch.map((line, i) => {
      if (i === 2) return { ...line, amount: '999.000000' };
      if (i === 5) return { ...line, usageDate: '2026-03-28' };
      if (i === 7) return { ...line, grantAmount: '0.500000' }; // same value, other spelling
      return line;
    });
    const result = await repo.ingest(resent);
    expect(result).toEqual({
      received: 10,
      inserted: 0,
      duplicates: 10,
      conflicts: [batch[2]?.sourceId, batch[5]?.sourceId],
    });
    const row = await db.consumptionLine.findUnique({ where: { sourceId: batch[2]?.sourceId } });
    expect(row?.amount.toFixed(6)).toBe('2.000001');
  });

  it('keeps the first of a source id repeated within one batch', async () => {
    const [first] = lines('within', 1) as [ConsumptionLineInput];
    const result = await repo.ingest([first, { ...first, amount: '5' }, first]);
    expect(result).toEqual({
      received: 3,
      inserted: 1,
      duplicates: 2,
      conflicts: [first.sourceId],
    });
    const row = await db.consumptionLine.findUnique({ where: { sourceId: first.sourceId } });
    expect(row?.amount.toFixed(6)).toBe('0.000001');
  });

  it('stores ids with quotes, commas, braces, backslashes and non-ASCII text as given', async () => {
    const odd = [
      'a,"b"',
      '{c}',
      'back\\slash\\',
      'NULL',
      ' spaced ',
      'счёт-№1',
      "it's",
      '\\"',
      '😀',
    ].map((text, i) => ({ ...(lines('odd', 1, i)[0] as ConsumptionLineInput), sku: text }));
    expect((await repo.ingest(odd)).inserted).toBe(odd.length);
    const rows = await db.consumptionLine.findMany({
      where: { sourceId: { startsWith: `${tag}-odd-` } },
      orderBy: { sourceId: 'asc' },
    });
    expect(rows.map((r) => r.sku)).toEqual(odd.map((l) => l.sku));
    expect((await repo.ingest(odd)).conflicts).toEqual([]);
  });

  it('reports at most 100 conflicts', async () => {
    const batch = lines('many', 150);
    await repo.ingest(batch);
    const result = await repo.ingest(batch.map((l) => ({ ...l, sku: 'changed' })));
    expect(result.duplicates).toBe(150);
    expect(result.conflicts).toHaveLength(100);
    expect(result.conflicts[0]).toBe(batch[0]?.sourceId);
  });

  it('answers an empty batch without touching the database', async () => {
    expect(await repo.ingest([])).toEqual({
      received: 0,
      inserted: 0,
      duplicates: 0,
      conflicts: [],
    });
  });

  it('names the billing accounts and services that do not exist', async () => {
    expect(await repo.missingBillingAccounts([account, 'ba-nope', account, 'ba-nope-2'])).toEqual(
      new Set(['ba-nope', 'ba-nope-2']),
    );
    expect(await repo.missingServices(['compute', 'marketplace', 'teleport'])).toEqual(
      new Set(['teleport']),
    );
    expect(await repo.missingServices([])).toEqual(new Set());
  });

  it('totals a month in SQL, for one account', async () => {
    const base = lines('totals', 1)[0] as ConsumptionLineInput;
    await repo.ingest([
      {
        ...base,
        sourceId: `${tag}-t-1`,
        billingAccountId: otherAccount,
        usageDate: '2026-04-01',
        amount: '10.5',
        grantAmount: '1',
      },
      {
        ...base,
        sourceId: `${tag}-t-2`,
        billingAccountId: otherAccount,
        usageDate: '2026-04-30',
        amount: '0.000001',
        grantAmount: '0',
      },
      {
        ...base,
        sourceId: `${tag}-t-3`,
        billingAccountId: otherAccount,
        usageDate: '2026-03-31',
        amount: '100',
        grantAmount: '0',
      },
      {
        ...base,
        sourceId: `${tag}-t-4`,
        billingAccountId: otherAccount,
        usageDate: '2026-05-01',
        amount: '100',
        grantAmount: '0',
      },
    ]);
    expect(
      await repo.totals({ from: '2026-04-01', to: '2026-05-01', billingAccountId: otherAccount }),
    ).toEqual({ lines: 2, amount: '10.500001', grantAmount: '1.000000' });
    expect(
      await repo.totals({ from: '2027-01-01', to: '2027-02-01', billingAccountId: otherAccount }),
    ).toEqual({ lines: 0, amount: '0.000000', grantAmount: '0.000000' });
    const all = await repo.totals({ from: '2026-04-01', to: '2026-05-01' });
    expect(all.lines).toBeGreaterThanOrEqual(2);
  });

  it('waits for a reader holding the watermark lock before drawing seqs', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const reader = db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SEQ_WATERMARK_LOCK}))`;
      locked();
      await released;
    });
    await lockTaken;
    let done = false;
    const ingest = repo.ingest(lines('watermark', 5)).then((r) => {
      done = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect(await stored('watermark')).toBe(0);
    release();
    await reader;
    expect((await ingest).inserted).toBe(5);
  });
});
