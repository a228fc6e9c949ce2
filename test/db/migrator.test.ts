import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { recreateDatabase } from '../../scripts/infra/database';
import { migrate, readMigrations } from '../../prisma/migrator';

/** The project's migrate step must leave `_prisma_migrations` as `prisma migrate deploy` would. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migrate', () => {
  const url = databaseUrl('partner_migrator_test');
  beforeEach(() => recreateDatabase(url));

  it('applies every migration once and records it like prisma migrate deploy', async () => {
    const first = await migrate(url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
      id: string;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    const onDisk = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const file = path.join(
        __dirname,
        '../../prisma/migrations',
        row.migration_name,
        'migration.sql',
      );
      expect(row.checksum).toBe(
        crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      );
      expect(row.checksum).toBe(onDisk[i]?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }

    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(onDisk.length);
  });

  it('applies a migration once when two deploys race', async () => {
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedCount).toBe(readMigrations().length);
    const rows = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(Number(rows[0]?.n)).toBe(readMigrations().length);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const dir = migrationsDir({
      '20260101000000_good': 'CREATE TABLE good (id int);',
      '20260102000000_bad': 'CREATE TABLE half (id int);\nSELECT no_such_function();',
    });
    await expect(migrate(url, dir)).rejects.toThrow(
      /20260102000000_bad failed and was rolled back/,
    );
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema='public' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['_prisma_migrations', 'good']);
    const rows = await query<{ migration_name: string }>(
      url,
      'SELECT migration_name FROM _prisma_migrations',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(['20260101000000_good']);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const dir = migrationsDir({ '20260101000000_one': 'CREATE TABLE one (id int);' });
    await migrate(url, dir);
    fs.writeFileSync(
      path.join(dir, '20260101000000_one', 'migration.sql'),
      'CREATE TABLE one (id bigint);',
    );
    await expect(migrate(url, dir)).rejects.toThrow(/was edited after it was applied/);
  });
});
