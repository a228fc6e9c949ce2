import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../prisma/client';
import { testDatabase } from '../support/env';

/**
 * `npm run consumption:import` as an operator runs it: a child process with tsx on a CSV
 * file, against the test database.
 */
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const HEADER =
  'source_id,billing_account_id,cloud_id,folder_id,service_id,sku,usage_date,amount,grant_amount';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runImport(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['scripts/import-consumption.ts', ...args],
      { cwd: root, env: process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The number after a summary label, e.g. count(out, 'inserted'). */
function count(stdout: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+(\\d+)`, 'm').exec(stdout);
  if (!match) throw new Error(`no "${label}" in:\n${stdout}`);
  return Number(match[1]);
}

describe('consumption:import', () => {
  let db: Database;
  let dir: string;
  const tag = randomUUID().slice(0, 8);
  const account = `ba-import-${tag}`;
  const row = (id: string, rest = `${account},c1,f1,compute,vcpu,2026-07-01,10.5,0.5`) =>
    `${tag}-${id},${rest}`;

  function csv(name: string, lines: string[], eol = '\n'): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join(eol) + eol);
    return file;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumption-import-'));
    db = testDatabase();
    await db.billingAccount.create({
      data: {
        id: account,
        organizationId: `org-import-${tag}`,
        name: 'Import',
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
  });

  afterAll(async () => {
    await db?.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stored = () => db.consumptionLine.count({ where: { billingAccountId: account } });

  it('imports the good rows, lists the bad ones by line number and exits with 2', async () => {
    const good = Array.from({ length: 7 }, (_, i) => row(`ok-${i}`));
    const file = csv(
      'mixed.csv',
      [
        `\uFEFF${HEADER}`,
        ...good.slice(0, 3),
        row('bad-date', `${account},c1,f1,compute,vcpu,2026-02-29,1,0`), // line 5
        row('bad-decimals', `${account},c1,f1,compute,vcpu,2026-07-01,1.1234567,0`), // line 6
        `"${tag}-quoted,""one""",${account},"c,1",f1,compute,vcpu,2026-07-02,3,3`, // line 7: good
        row('unknown-account', `ba-none-${tag},c1,f1,compute,vcpu,2026-07-01,1,0`), // line 8
        row('unknown-service', `${account},c1,f1,teleport,vcpu,2026-07-01,1,0`), // line 9
        `${tag}-short,${account},c1`, // line 10
        `"${tag}-broken,${account},c1,f1,compute,vcpu,2026-07-01,1,0`, // line 11
        '',
        ...good.slice(3),
        row('grant', `${account},c1,f1,compute,vcpu,2026-07-01,1,2`), // line 17
      ],
      '\r\n',
    );
    const rejects = path.join(dir, 'mixed.rejects.csv');
    const first = await runImport(file, '--batch', '2', '--rejects', rejects);
    expect(first.code).toBe(2);
    expect(count(first.stdout, 'lines read')).toBe(15);
    expect(count(first.stdout, 'inserted')).toBe(8);
    expect(count(first.stdout, 'duplicates')).toBe(0);
    expect(count(first.stdout, 'rejected')).toBe(7);
    expect(first.stdout).toMatch(/lines\/s/);
    expect(first.stderr.split('\n').filter((l) => l.startsWith('  line '))).toEqual([
      '  line 5: usage_date: must be a calendar date in the form YYYY-MM-DD',
      '  line 6: amount: must have at most 6 decimals',
      `  line 8: billing_account_id: no billing account ba-none-${tag}`,
      '  line 9: service_id: no service teleport in the catalogue',
      '  line 10: expected 9 fields, found 3',
      '  line 11: broken quoting',
      '  line 17: grant_amount: must not exceed the amount',
    ]);
    const written = fs.readFileSync(rejects, 'utf8').trim().split('\n');
    expect(written[0]).toBe('line,reason');
    expect(
      written
        .slice(1)
        .map((l) => Number(l.split(',')[0]))
        .sort((a, b) => a - b),
    ).toEqual([5, 6, 8, 9, 10, 11, 17]);
    expect(written).toContain('6,"amount: must have at most 6 decimals"');
    expect(await stored()).toBe(8);
    const quoted = await db.consumptionLine.findUnique({
      where: { sourceId: `${tag}-quoted,"one"` },
    });
    expect(quoted?.cloudId).toBe('c,1');

    // A rerun of the same file stores nothing twice.
    const second = await runImport(file);
    expect(second.code).toBe(2);
    expect(count(second.stdout, 'inserted')).toBe(0);
    expect(count(second.stdout, 'duplicates')).toBe(8);
    expect(await stored()).toBe(8);
  });

  it('exits with 0 for a clean file and reports lines stored with other content', async () => {
    const file = csv('clean.csv', [
      // Columns in another order are fine: they are matched by name.
      'amount,grant_amount,source_id,billing_account_id,cloud_id,folder_id,service_id,sku,usage_date',
      `99,0,${tag}-ok-0,${account},c1,f1,compute,vcpu,2026-07-01`, // stored with 10.5
      `10.500000,0.5,${tag}-ok-1,${account},c1,f1,compute,vcpu,2026-07-01`, // same values
      `1,0,${tag}-new-1,${account},c1,f1,compute,vcpu,2026-07-03`,
    ]);
    const res = await runImport(file);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(count(res.stdout, 'inserted')).toBe(1);
    expect(count(res.stdout, 'duplicates')).toBe(2);
    expect(res.stdout).toContain(`conflicts    1 `);
    expect(res.stdout).toContain(`${tag}-ok-0`);
    const kept = await db.consumptionLine.findUnique({ where: { sourceId: `${tag}-ok-0` } });
    expect(kept?.amount.toFixed(2)).toBe('10.50');
  });

  it('stops with 1 and imports nothing when the header is wrong or the file is missing', async () => {
    const file = csv('header.csv', ['id,amount', row('never')]);
    const res = await runImport(file);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('missing: source_id, billing_account_id');
    expect(await db.consumptionLine.count({ where: { sourceId: `${tag}-never` } })).toBe(0);

    const missing = await runImport(path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such file');
    expect((await runImport()).stderr).toContain('Usage: npm run consumption:import');
  });
});
