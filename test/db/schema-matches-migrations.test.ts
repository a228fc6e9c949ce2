import { Client } from 'pg';
import path from 'node:path';
import { recreateDatabase } from '../../scripts/infra/database';
import { renderSchemaDiff } from '../../prisma/schema-diff';

/**
 * schema.prisma and the SQL migrations must describe the same database: otherwise the
 * generated client queries columns the migrated database does not have (or misses
 * constraints that idempotency relies on). We build one database from the migrations (the
 * test database, migrated by the global setup) and one from schema.prisma (Prisma's own
 * DDL for it), and compare their catalogs.
 */
const CATALOG_QUERIES: Record<string, string> = {
  columns: `
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
           character_maximum_length, numeric_precision, numeric_scale, datetime_precision
      FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
     ORDER BY table_name, column_name`,
  indexes: `
    SELECT tablename, indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'x')
     ORDER BY tablename, indexname`,
  constraints: `
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
       AND contype NOT IN ('x', 'c')
     ORDER BY 1, 2`,
  enums: `
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typnamespace = 'public'::regnamespace
     GROUP BY t.typname ORDER BY t.typname`,
};

async function catalog(url: string): Promise<Record<string, unknown[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(CATALOG_QUERIES))
      out[name] = (await client.query(sql)).rows;
    return out;
  } finally {
    await client.end();
  }
}

describe('schema.prisma and prisma/migrations', () => {
  const migratedUrl = process.env.DATABASE_URL as string;
  const fromSchemaUrl = (() => {
    const url = new URL(migratedUrl);
    url.pathname = '/partner_schema_check';
    return url.toString();
  })();

  it('describe the same tables, columns, indexes, constraints and enums', async () => {
    const sql = await renderSchemaDiff({
      from: 'empty',
      to: path.resolve(__dirname, '../../prisma/schema.prisma'),
      databaseUrl: fromSchemaUrl.replace('/partner_schema_check', '/postgres'),
    });
    await recreateDatabase(fromSchemaUrl);
    const client = new Client({ connectionString: fromSchemaUrl });
    await client.connect();
    await client.query(sql);
    await client.end();

    const fromMigrations = await catalog(migratedUrl);
    const fromSchema = await catalog(fromSchemaUrl);
    expect(fromMigrations.columns?.length).toBeGreaterThan(0);
    expect(fromMigrations).toEqual(fromSchema);
  }, 120_000);

  it('hold what Prisma cannot express: the ledger never overlaps, the tallies follow the lines', async () => {
    const client = new Client({ connectionString: migratedUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT conname, contype FROM pg_constraint
          WHERE connamespace = 'public'::regnamespace AND contype IN ('x', 'c') ORDER BY conname`,
      );
      expect(rows).toEqual([
        { conname: 'billed_ranges_no_overlap', contype: 'x' },
        { conname: 'billed_ranges_nonempty', contype: 'c' },
        { conname: 'consumption_tallies_seq_range', contype: 'c' },
        { conname: 'presale_requests_one_subject', contype: 'c' },
        { conname: 'registrations_one_live_claim', contype: 'x' },
        { conname: 'registrations_rates_capped', contype: 'c' },
      ]);
      const triggers = await client.query(
        `SELECT tgname, tgrelid::regclass::text AS on_table FROM pg_trigger
          WHERE NOT tgisinternal ORDER BY tgname`,
      );
      // The tallies' four, and one notice per table the settlement reads (running invoices
      // cached by the API are dropped when any of them changes).
      const noticed = [
        'advance_ledger',
        'billed_ranges',
        'billing_accounts',
        'consumption_lines',
        'deals',
        'final_payouts',
        'invoices',
        'month_closes',
        'partners',
        'program_memberships',
        'program_terms',
        'projects',
        'rebate_ledger',
        'registrations',
        'services',
        'specializations',
        'withdrawals',
      ];
      expect(triggers.rows).toEqual(
        [
          ...['delete', 'insert', 'truncate', 'update'].map((event) => ({
            tgname: `consumption_tallies_${event}`,
            on_table: 'consumption_lines',
          })),
          ...noticed.map((table) => ({ tgname: `${table}_settlement_notice`, on_table: table })),
          // And one per table an application's status is read from.
          ...['applications', 'audit_events', 'billing_accounts', 'partners', 'notifications'].map(
            (table) => ({ tgname: `${table}_application_notice`, on_table: table }),
          ),
        ].sort((a, b) => (a.tgname < b.tgname ? -1 : 1)),
      );
    } finally {
      await client.end();
    }
  });
});
