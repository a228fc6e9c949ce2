import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig, loadEnvFile } from '../config';
import { consumptionLineProblems, type ConsumptionLineInput } from '../domain/consumption';
import { createDatabase } from '../prisma/client';
import {
  createConsumptionRepository,
  DEFAULT_CHUNK_SIZE,
  MAX_REPORTED_CONFLICTS,
  type ConsumptionRepository,
} from '../prisma/repositories/consumption.repository';

/**
 * `npm run consumption:import -- <file.csv> [--batch 5000]` loads a billing export of any
 * size into consumption_lines, idempotently: a rerun of the same file stores nothing twice.
 *
 * The file is streamed, so a big one cannot be validated in full before anything is stored.
 * Instead each bad row (broken rule, unknown billing account or service, malformed CSV) is
 * set aside with its line number and the good rows are imported. The bad rows are printed at
 * the end and the exit code is 2, so the caller fixes them and reruns the whole file: rows
 * already stored count as duplicates.
 *
 * Exit codes: 0 all rows imported, 1 the import could not run or stopped (bad header,
 * database error), 2 done but some rows were rejected.
 */

/** CSV column → field of the line, in the order of the documented header. */
const COLUMNS = {
  source_id: 'sourceId',
  billing_account_id: 'billingAccountId',
  cloud_id: 'cloudId',
  folder_id: 'folderId',
  service_id: 'serviceId',
  sku: 'sku',
  usage_date: 'usageDate',
  amount: 'amount',
  grant_amount: 'grantAmount',
} as const satisfies Record<string, keyof ConsumptionLineInput>;
type Column = keyof typeof COLUMNS;
const COLUMN_OF = Object.fromEntries(Object.entries(COLUMNS).map(([c, f]) => [f, c])) as Record<
  keyof ConsumptionLineInput,
  Column
>;

/** Bad rows printed; --rejects <file> gets all of them, so memory stays flat either way. */
const MAX_LISTED_REJECTIONS = 100;
const MAX_BATCH = 50_000;

interface Rejection {
  line: number;
  reason: string;
}

class UsageError extends Error {}

/**
 * One CSV record (RFC 4180 quoting: "a,b" and "say ""hi"""). Records never span lines here:
 * ids, dates and amounts hold no newlines. Undefined when the quoting is broken.
 */
function parseCsvLine(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return undefined;
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') return undefined;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** Positions of the known columns in the header; any order, each exactly once. */
function readHeader(text: string): Record<Column, number> {
  const names = (parseCsvLine(text.replace(/^\uFEFF/, '')) ?? []).map((n) => n.trim());
  const missing = Object.keys(COLUMNS).filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new UsageError(
      `The header must name the columns ${Object.keys(COLUMNS).join(',')}; missing: ${missing.join(', ')}`,
    );
  }
  return Object.fromEntries(Object.keys(COLUMNS).map((c) => [c, names.indexOf(c)])) as Record<
    Column,
    number
  >;
}

function parseOptions(argv: string[]): { file: string; batch: number; rejects?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      batch: { type: 'string', default: String(DEFAULT_CHUNK_SIZE) },
      rejects: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [file, ...rest] = positionals;
  const batch = Number(values.batch);
  if (!file || rest.length > 0 || !Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) {
    throw new UsageError(
      `Usage: npm run consumption:import -- <file.csv> [--batch 1..${MAX_BATCH}, default ${DEFAULT_CHUNK_SIZE}] [--rejects <bad-rows.csv>]`,
    );
  }
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  return { file, batch, rejects: values.rejects };
}

/** Imports chunk by chunk; unknown billing accounts and services are checked per chunk. */
function createImporter(consumption: ConsumptionRepository) {
  const known = { accounts: new Set<string>(), services: new Set<string>() };
  const totals = { inserted: 0, duplicates: 0 };
  const conflicts: string[] = [];

  /** Ids of the chunk not seen before, checked in one query per kind; remembers the good. */
  async function unknown(
    ids: string[],
    seen: Set<string>,
    lookup: (ids: string[]) => Promise<Set<string>>,
  ) {
    const fresh = [...new Set(ids)].filter((id) => !seen.has(id));
    const missing = await lookup(fresh);
    for (const id of fresh) if (!missing.has(id)) seen.add(id);
    return missing;
  }

  return {
    totals,
    conflicts,
    async flush(
      lines: ConsumptionLineInput[],
      lineNumbers: number[],
      reject: (r: Rejection) => void,
    ) {
      const [accounts, services] = await Promise.all([
        unknown(
          lines.map((l) => l.billingAccountId),
          known.accounts,
          (ids) => consumption.missingBillingAccounts(ids),
        ),
        unknown(
          lines.map((l) => l.serviceId),
          known.services,
          (ids) => consumption.missingServices(ids),
        ),
      ]);
      const good: ConsumptionLineInput[] = [];
      lines.forEach((line, i) => {
        const reasons: string[] = [];
        if (accounts.has(line.billingAccountId)) {
          reasons.push(`billing_account_id: no billing account ${line.billingAccountId}`);
        }
        if (services.has(line.serviceId)) {
          reasons.push(`service_id: no service ${line.serviceId} in the catalogue`);
        }
        if (reasons.length > 0) reject({ line: lineNumbers[i] ?? 0, reason: reasons.join('; ') });
        else good.push(line);
      });
      const result = await consumption.ingest(good, { chunkSize: lines.length || 1 });
      totals.inserted += result.inserted;
      totals.duplicates += result.duplicates;
      for (const id of result.conflicts) {
        if (conflicts.length < MAX_REPORTED_CONFLICTS) conflicts.push(id);
      }
    },
  };
}

async function main(): Promise<number> {
  loadEnvFile();
  const { file, batch, rejects } = parseOptions(process.argv.slice(2));
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new UsageError('DATABASE_URL is not set');

  const db = createDatabase(databaseUrl, { poolSize: 3 });
  const importer = createImporter(createConsumptionRepository(db));
  const rejections: Rejection[] = [];
  let rejected = 0;
  // Every bad row, as CSV `line,reason`, when the operator asks for the file.
  const rejectsFile = rejects ? fs.createWriteStream(rejects) : undefined;
  rejectsFile?.write('line,reason\n');
  const reject = (r: Rejection) => {
    rejected++;
    if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push(r);
    rejectsFile?.write(`${r.line},"${r.reason.replace(/"/g, '""')}"\n`);
  };
  const closeRejects = () =>
    new Promise<void>((resolve) => (rejectsFile ? rejectsFile.end(resolve) : resolve()));

  const started = performance.now();
  let lineNumber = 0;
  let read = 0;
  let header: Record<Column, number> | undefined;
  let width = 0;
  let lines: ConsumptionLineInput[] = [];
  let lineNumbers: number[] = [];
  // One chunk is written while the next is parsed; at most two chunks are in memory.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    await inFlight;
    const next = importer.flush(lines, lineNumbers, reject);
    // Handled here so a failure surfaces at the next await, not as an unhandled rejection.
    next.catch(() => undefined);
    inFlight = next;
    lines = [];
    lineNumbers = [];
  };

  const input = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  try {
    for await (const text of input) {
      lineNumber++;
      if (!header) {
        header = readHeader(text);
        width = (parseCsvLine(text) ?? []).length;
        continue;
      }
      if (text.trim() === '') continue;
      read++;
      const fields = parseCsvLine(text);
      if (!fields || fields.length !== width) {
        reject({
          line: lineNumber,
          reason: fields ? `expected ${width} fields, found ${fields.length}` : 'broken quoting',
        });
        continue;
      }
      const at = header;
      const line = Object.fromEntries(
        (Object.entries(COLUMNS) as [Column, keyof ConsumptionLineInput][]).map(([c, f]) => [
          f,
          fields[at[c]] ?? '',
        ]),
      ) as unknown as ConsumptionLineInput;
      const problems = consumptionLineProblems(line, 0);
      if (problems.length > 0) {
        reject({
          line: lineNumber,
          reason: problems
            .map((p) => {
              const field = p.field.replace(/^lines\.0\./, '') as keyof ConsumptionLineInput;
              return `${COLUMN_OF[field] ?? field}: ${p.message}`;
            })
            .join('; '),
        });
        continue;
      }
      lines.push(line);
      lineNumbers.push(lineNumber);
      if (lines.length >= batch) await flush();
    }
    if (!header) throw new UsageError(`${file} is empty: expected a header line`);
    if (lines.length > 0) await flush();
    await inFlight;
  } catch (error) {
    await inFlight.catch(() => undefined);
    await db.$disconnect();
    await closeRejects();
    if (error instanceof UsageError) throw error;
    console.error(
      `Stopped at line ${lineNumber} after storing ${importer.totals.inserted} new lines; ` +
        'rerunning the file is safe (stored lines count as duplicates).',
    );
    throw error;
  }
  await db.$disconnect();
  await closeRejects();

  const seconds = (performance.now() - started) / 1000;
  const { inserted, duplicates } = importer.totals;
  console.log(`Imported ${file}`);
  console.log(`  lines read   ${read}`);
  console.log(`  inserted     ${inserted}`);
  console.log(`  duplicates   ${duplicates}`);
  console.log(`  rejected     ${rejected}`);
  console.log(`  time         ${seconds.toFixed(1)} s (${Math.round(read / seconds)} lines/s)`);
  if (importer.conflicts.length > 0) {
    console.log(
      `  conflicts    ${importer.conflicts.length}${importer.conflicts.length >= MAX_REPORTED_CONFLICTS ? '+' : ''} ` +
        `source ids already stored with different content (kept as stored): ${importer.conflicts.join(', ')}`,
    );
  }
  if (rejected > 0) {
    console.error(`${rejected} row(s) rejected and not imported:`);
    rejections.sort((a, b) => a.line - b.line);
    for (const r of rejections) console.error(`  line ${r.line}: ${r.reason}`);
    if (rejected > rejections.length) {
      console.error(
        `  … and ${rejected - rejections.length} more` +
          (rejects ? ` (all are in ${rejects})` : ' (--rejects <file> writes them all)'),
      );
    }
    return 2;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
