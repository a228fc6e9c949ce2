import { cloneDatabase, dropDatabase } from '../../scripts/infra/database';

/**
 * Each integration test file gets a database of its own, copied from the migrated one the
 * global setup made. Month closes are global and go in order (a close of a month is refused
 * while an earlier month with consumption is open), so test files that close different months
 * must not share one database. The address is set before the test file is loaded, so
 * configuration read at its top level sees it; the copy is made before its first hook runs.
 */
const templateUrl = process.env.DATABASE_URL;
let fileUrl: string | undefined;

if (templateUrl) {
  const url = new URL(templateUrl);
  url.pathname = `${url.pathname}_f${process.pid}_${Date.now().toString(36)}`;
  fileUrl = url.toString();
  process.env.DATABASE_URL = fileUrl;
}

beforeAll(async () => {
  if (!templateUrl || !fileUrl) return;
  await cloneDatabase(templateUrl, new URL(fileUrl).pathname.slice(1));
}, 120_000);

afterAll(async () => {
  if (!templateUrl || !fileUrl) return;
  process.env.DATABASE_URL = templateUrl;
  await dropDatabase(fileUrl).catch(() => undefined);
}, 60_000);
