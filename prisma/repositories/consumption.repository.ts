import type { ConsumptionLineInput } from '../../domain/consumption';
import type { Database } from '../client';
import { Prisma } from '../generated/client/client';

export interface IngestResult {
  /** Lines handed in. */
  received: number;
  /** Lines stored by this call. */
  inserted: number;
  /** Lines whose source id was already stored (earlier, concurrently, or earlier in the batch). */
  duplicates: number;
  /**
   * Source ids among the duplicates whose stored line differs from the one received (first
   * wins; billing should look into these). At most MAX_REPORTED_CONFLICTS.
   */
  conflicts: string[];
}

export interface ConsumptionTotals {
  lines: number;
  /** Sums with 6 decimals, as the column keeps them. */
  amount: string;
  grantAmount: string;
}

/** Rows per INSERT statement: nine arrays of this length travel as nine parameters. */
export const DEFAULT_CHUNK_SIZE = 5000;
export const MAX_REPORTED_CONFLICTS = 100;

/**
 * Prisma's defaults (2 s to get a connection, 5 s in all) would fail a chunk that queues
 * behind a busy pool, a concurrent ingest of the same lines or a watermark reader.
 */
const CHUNK_TRANSACTION = { maxWait: 60_000, timeout: 300_000 };

/**
 * Advisory lock key (through hashtext) that ingestion holds shared for each chunk's
 * transaction. seq values are drawn before commit, so concurrent chunks commit out of seq
 * order; a reader that takes this lock exclusively before `SELECT max(seq)` waits for the
 * chunks in flight, and then no line with a smaller seq can appear after it has read the
 * watermark.
 */
export const SEQ_WATERMARK_LOCK = 'consumption_lines:seq-watermark';

/**
 * The newest consumption line's seq, read under SEQ_WATERMARK_LOCK taken exclusively inside
 * the caller's transaction: every line numbered up to it has committed.
 */
export async function committedWatermark(
  tx: Pick<Database, '$executeRaw' | '$queryRaw'>,
): Promise<bigint> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SEQ_WATERMARK_LOCK}))`;
  const [newest] = await tx.$queryRaw<
    { max: bigint | null }[]
  >`SELECT max(seq) AS max FROM consumption_lines`;
  return newest?.max ?? 0n;
}

/**
 * One column of the chunk as a PostgreSQL array literal ('{"a","b"}'). Sent as one text
 * parameter it costs the driver one string instead of one value per line, which makes the
 * insert about a third faster than passing JS arrays through Prisma.
 */
function arrayLiteral(lines: readonly ConsumptionLineInput[], field: keyof ConsumptionLineInput) {
  let literal = '{';
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] as ConsumptionLineInput)[field];
    literal += `${i ? ',' : ''}"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${literal}}`;
}

/** The chunk as a relation t(source_id, …, grant_amount, ord), ord being the line's position. */
function chunkRelation(lines: readonly ConsumptionLineInput[]): Prisma.Sql {
  const col = (field: keyof ConsumptionLineInput) => arrayLiteral(lines, field);
  return Prisma.sql`unnest(
      ${col('sourceId')}::text[], ${col('billingAccountId')}::text[], ${col('cloudId')}::text[],
      ${col('folderId')}::text[], ${col('serviceId')}::text[], ${col('sku')}::text[],
      ${col('usageDate')}::date[], ${col('amount')}::numeric[], ${col('grantAmount')}::numeric[]
    ) WITH ORDINALITY AS t(source_id, billing_account_id, cloud_id, folder_id, service_id, sku,
                           usage_date, amount, grant_amount, ord)`;
}

/**
 * Consumption line items, stored once per source id. Ingestion is one multi-row INSERT per
 * chunk and the unique index on source_id decides what is new, so repeating a batch, or
 * running the same batch twice at once, stores each line once. Callers validate lines first
 * (domain/consumption.ts); the repository trusts them.
 */
export function createConsumptionRepository(db: Database) {
  /**
   * Rows go in sorted by source id, so concurrent chunks take the unique-index locks in one
   * order and cannot deadlock; `ord` keeps the first of a batch's repeated source ids.
   * Each chunk is its own transaction: a failure leaves earlier chunks stored, which is
   * harmless because a retry counts them as duplicates.
   *
   * The shared advisory lock is held from before the chunk draws its seqs until it commits;
   * see SEQ_WATERMARK_LOCK for why.
   */
  async function insertChunk(lines: readonly ConsumptionLineInput[]): Promise<number> {
    const [, inserted] = await db.$transaction(
      [
        db.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${SEQ_WATERMARK_LOCK}))`,
        db.$executeRaw`
          INSERT INTO consumption_lines (source_id, billing_account_id, cloud_id, folder_id,
                                         service_id, sku, usage_date, amount, grant_amount)
          SELECT source_id, billing_account_id, cloud_id, folder_id,
                 service_id, sku, usage_date, amount, grant_amount
          FROM ${chunkRelation(lines)}
          ORDER BY source_id COLLATE "C", ord
          ON CONFLICT (source_id) DO NOTHING`,
      ],
      CHUNK_TRANSACTION,
    );
    return inserted;
  }

  /**
   * Source ids of the chunk whose stored line differs from the received one. Runs after the
   * insert, in a new snapshot, so lines that a concurrent ingest stored are compared too.
   * A line that was just inserted matches itself and is never reported.
   */
  async function conflictsIn(
    lines: readonly ConsumptionLineInput[],
    limit: number,
  ): Promise<string[]> {
    const rows = await db.$queryRaw<{ source_id: string }[]>`
      SELECT t.source_id
      FROM ${chunkRelation(lines)}
      JOIN consumption_lines c ON c.source_id = t.source_id
      WHERE (c.billing_account_id, c.cloud_id, c.folder_id, c.service_id, c.sku,
             c.usage_date, c.amount, c.grant_amount)
            IS DISTINCT FROM
            (t.billing_account_id, t.cloud_id, t.folder_id, t.service_id, t.sku,
             t.usage_date, t.amount, t.grant_amount)
      ORDER BY t.ord
      LIMIT ${limit}`;
    return rows.map((r) => r.source_id);
  }

  /** The ids of `ids` that `table` does not have, in one query. */
  async function missing(table: 'billing_accounts' | 'services', ids: Iterable<string>) {
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return new Set<string>();
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT x.id FROM unnest(${distinct}::text[]) AS x(id)
      WHERE NOT EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} r WHERE r.id = x.id)`;
    return new Set(rows.map((r) => r.id));
  }

  return {
    async ingest(
      lines: readonly ConsumptionLineInput[],
      options: { chunkSize?: number } = {},
    ): Promise<IngestResult> {
      const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
      let inserted = 0;
      const conflicts = new Set<string>();
      for (let start = 0; start < lines.length; start += chunkSize) {
        const chunk = lines.slice(start, start + chunkSize);
        const stored = await insertChunk(chunk);
        inserted += stored;
        // Only a chunk with duplicates can hold conflicts: the check costs nothing otherwise.
        const room = MAX_REPORTED_CONFLICTS - conflicts.size;
        if (stored < chunk.length && room > 0) {
          for (const id of await conflictsIn(chunk, room)) conflicts.add(id);
        }
      }
      return {
        received: lines.length,
        inserted,
        duplicates: lines.length - inserted,
        conflicts: [...conflicts].slice(0, MAX_REPORTED_CONFLICTS),
      };
    },

    /** Billing account ids (of those given) that do not exist. */
    missingBillingAccounts(ids: Iterable<string>): Promise<Set<string>> {
      return missing('billing_accounts', ids);
    },

    /** Service ids (of those given) that are not in the catalogue. */
    missingServices(ids: Iterable<string>): Promise<Set<string>> {
      return missing('services', ids);
    },

    /** Totals of the lines used in [from, to), optionally for one billing account, in SQL. */
    async totals(filter: {
      from: string;
      to: string;
      billingAccountId?: string;
    }): Promise<ConsumptionTotals> {
      const account = filter.billingAccountId
        ? Prisma.sql`AND billing_account_id = ${filter.billingAccountId}`
        : Prisma.empty;
      const [row] = await db.$queryRaw<{ lines: bigint; amount: string; grant_amount: string }[]>`
        SELECT count(*) AS lines,
               round(coalesce(sum(amount), 0), 6)::text AS amount,
               round(coalesce(sum(grant_amount), 0), 6)::text AS grant_amount
        FROM consumption_lines
        WHERE usage_date >= ${filter.from}::date AND usage_date < ${filter.to}::date ${account}`;
      return {
        lines: Number(row?.lines ?? 0),
        amount: row?.amount ?? '0.000000',
        grantAmount: row?.grant_amount ?? '0.000000',
      };
    },
  };
}

export type ConsumptionRepository = ReturnType<typeof createConsumptionRepository>;
