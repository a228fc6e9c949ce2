import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const projectRoot = path.resolve(__dirname, '..');

/**
 * Renders the SQL that takes a database from one Prisma schema (or an empty database) to
 * another, offline. Prisma 7's `migrate diff` needs the Rust schema engine, which cannot be
 * downloaded here; Prisma 6.19's CLI runs the same engine as WASM when its config names a
 * driver adapter. It insists on reaching a database even for a pure schema-to-schema diff,
 * so `databaseUrl` must point at a reachable PostgreSQL (nothing is written to it).
 */
export async function renderSchemaDiff(options: {
  /** 'empty' or the path of a schema file. */
  from: string;
  to: string;
  databaseUrl: string;
}): Promise<string> {
  const work = fs.mkdtempSync(path.join(projectRoot, '.local', 'schema-diff-'));
  try {
    const toFile = copyWithUrl(options.to, path.join(work, 'to.prisma'));
    const fromArgs =
      options.from === 'empty'
        ? ['--from-empty']
        : ['--from-schema-datamodel', copyWithUrl(options.from, path.join(work, 'from.prisma'))];
    const config = path.join(work, 'prisma.config.ts');
    fs.writeFileSync(
      config,
      [
        "import { PrismaPg } from '@prisma/adapter-pg-v6';",
        'export default {',
        "  engine: 'js',",
        '  experimental: { adapter: true },',
        `  schema: ${JSON.stringify(toFile)},`,
        `  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(options.databaseUrl)} }),`,
        '};',
        '',
      ].join('\n'),
    );
    const cli = path.join(projectRoot, 'node_modules', 'prisma-v6', 'build', 'index.js');
    const { stdout } = await execFileAsync(
      process.execPath,
      [
        cli,
        'migrate',
        'diff',
        ...fromArgs,
        '--to-schema-datamodel',
        toFile,
        '--script',
        '--config',
        config,
      ],
      {
        cwd: work,
        env: {
          ...process.env,
          DATABASE_URL: options.databaseUrl,
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return stdout;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Prisma 6 wants the datasource URL in the schema; Prisma 7 wants it in the config. */
function copyWithUrl(source: string, target: string): string {
  const text = fs
    .readFileSync(source, 'utf8')
    .replace(
      /(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/,
      '$1\n  url = env("DATABASE_URL")',
    );
  fs.writeFileSync(target, text);
  return target;
}
