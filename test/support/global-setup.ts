import fs from 'node:fs';
import path from 'node:path';
import { localDir } from '../../scripts/infra/paths';
import { freePort } from '../../scripts/infra/process';
import { removeStaleClusters, startPostgres } from '../../scripts/infra/postgres';
import { recreateDatabase } from '../../scripts/infra/database';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import { ensureTimeSkippingServer } from '../../scripts/infra/test-server';
import { startTemporalDevServer } from '../../scripts/infra/temporal-dev-server';
import { step } from '../../scripts/infra/step';
import { ensureChromium } from '../../scripts/infra/chromium';
import { buildWeb } from '../../scripts/infra/web';
import { ensurePythonTools } from '../../scripts/infra/python-tools';
import { migrate } from '../../prisma/migrator';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { Client } from 'pg';
import type { TestServices } from './services';
import { BUNDLES_ENV, buildWorkflowBundles } from './workflow-bundles';

/**
 * Starts what the integration tests need, once per `npm test`: a PostgreSQL of the
 * project's own (or TEST_DATABASE_URL), a fresh migrated database, the Temporal dev server
 * in memory, and the time-skipping test server's launcher. Tests read the addresses from
 * the environment; the teardown stops everything.
 */
export default async function globalSetup(globalConfig?: {
  testPathPatterns?: { patterns?: string[] };
}): Promise<void> {
  process.stdout.write('\n');
  // Bundled while the steps below mostly wait on downloads, PostgreSQL and Temporal
  // (TEST_WORKFLOW_BUNDLES=off: every worker bundles for itself, as outside the tests).
  const bundles = path.join(localDir, 'test-bundles', `run-${process.pid}`);
  const prebuild = process.env[BUNDLES_ENV] !== 'off';
  const bundling = prebuild ? buildWorkflowBundles(bundles) : Promise.resolve();
  bundling.catch(() => undefined);
  const testServerPath = await step('time-skipping test server', ensureTimeSkippingServer);
  const chromium = await step('Chromium for the browser tests', ensureChromium);
  // The portal is built for the browser tests; a run of chosen files without any skips it.
  const chosen = globalConfig?.testPathPatterns?.patterns ?? [];
  if (chosen.length === 0 || chosen.some((p) => p.includes('browser'))) {
    await step('web portal build', buildWeb);
  }
  const cli = await step('Temporal CLI', ensureTemporalCli);
  await step('OpenAPI validator and Schemathesis from PyPI', ensurePythonTools);

  let databaseUrl = process.env.TEST_DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    // A cluster of this run's own, so test runs side by side never stop each other's.
    const runs = path.join(localDir, 'test-postgres');
    await step('remove clusters of earlier test runs that are gone', () =>
      removeStaleClusters(runs),
    );
    const home = path.join(runs, `run-${process.pid}`);
    const port = await freePort();
    const pg = await step('PostgreSQL for tests', () => startPostgres({ home, port }));
    await step('no disk flushes in the throwaway test cluster', () =>
      withoutDurability(pg.url('postgres')),
    );
    databaseUrl = pg.url('partner_test');
    stopPostgres = async () => {
      await pg.stop();
      fs.rmSync(home, { recursive: true, force: true });
    };
  }
  const url = databaseUrl;
  await step('fresh test database and migrations', async () => {
    await recreateDatabase(url);
    await migrate(url);
  });

  const temporalPort = await freePort();
  const devServer = await step('Temporal dev server for end-to-end tests', () =>
    startTemporalDevServer({
      cli,
      port: temporalPort,
      namespace: 'default',
      logFile: path.join(localDir, 'logs', 'test-temporal.log'),
      searchAttributes: SEARCH_ATTRIBUTES,
    }),
  );

  if (prebuild) await step('workflow bundles for the test workers', () => bundling);

  process.env.DATABASE_URL = url;
  if (prebuild) process.env[BUNDLES_ENV] = bundles;
  process.env.TEMPORAL_ADDRESS = devServer.address;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServerPath;
  process.env.CHROMIUM_PATH = chromium;
  process.env.NODE_ENV = 'test';
  // The suite's clients and workers all run without payload encryption, whatever the shell
  // exports; the encryption tests give their own API and worker keys (docs/PAYLOAD-ENCRYPTION.md).
  delete process.env.TEMPORAL_CODEC_KEYS;
  delete process.env.TEMPORAL_CODEC_KEY_ID;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

  const services: TestServices = {
    stop: async () => {
      await devServer.stop();
      if (stopPostgres) await stopPostgres();
      fs.rmSync(bundles, { recursive: true, force: true });
    },
  };
  (globalThis as { __services?: TestServices }).__services = services;
  fs.mkdirSync(localDir, { recursive: true });
}

/**
 * The run's own cluster holds nothing worth keeping past the run, so it need not wait for the
 * disk on each commit: the tests commit many thousands of small transactions. What the tests
 * see is unchanged (a commit is visible at once either way); only a crash of the machine
 * could lose data, and the cluster is deleted after the run anyway. The fault test that
 * restarts PostgreSQL uses a cluster of its own.
 */
async function withoutDurability(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
      await client.query(`ALTER SYSTEM SET ${setting} = off`);
    }
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
}
