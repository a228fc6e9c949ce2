import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR, readMigrations } from '../../prisma/migrator';
import { renderSchemaDiff } from '../../prisma/schema-diff';
import { projectRoot } from '../infra/paths';
import { loadConfig } from '../../config';

/**
 * `npm run db:new-migration -- <name> [--from <old schema file>]` writes
 * prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the previous
 * schema (default: prisma/schema.prisma as committed at HEAD, or an empty database for the
 * first migration) to the current prisma/schema.prisma. Needs a reachable PostgreSQL in
 * DATABASE_URL (Prisma's engine insists on one; nothing is written to it).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--'));
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('Usage: npm run db:new-migration -- <snake_case_name> [--from <schema file>]');
  }
  const { databaseUrl } = loadConfig();
  if (!databaseUrl)
    throw new Error('Set DATABASE_URL to a reachable PostgreSQL (npm start prints it)');
  const schema = path.join(projectRoot, 'prisma', 'schema.prisma');
  const fromIndex = args.indexOf('--from');
  let from: string = 'empty';
  if (fromIndex >= 0 && args[fromIndex + 1]) from = path.resolve(args[fromIndex + 1] as string);
  else if (readMigrations().length > 0) {
    from = path.join(projectRoot, '.local', 'schema-at-head.prisma');
    fs.mkdirSync(path.dirname(from), { recursive: true });
    fs.writeFileSync(
      from,
      execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: projectRoot }),
    );
  }
  const sql = await renderSchemaDiff({ from, to: schema, databaseUrl });
  if (!sql.replace(/--.*$/gm, '').trim()) {
    console.log('The schema has no changes: no migration written.');
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`wrote ${path.relative(projectRoot, path.join(dir, 'migration.sql'))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
