import path from 'node:path';
import { localDir } from './infra/paths';
import { startPostgres } from './infra/postgres';
import { step } from './infra/step';
import { ensureTemporalCli } from './infra/temporal-cli';
import { ensureTimeSkippingServer } from './infra/test-server';

/**
 * `npm run provision`: fetches or builds every tool the project runs (Temporal CLI,
 * time-skipping test server, PostgreSQL cluster) without starting the system. `npm start`
 * and `npm test` do the same on demand; this is for warming a machine or a CI cache.
 */
async function main(): Promise<void> {
  const started = Date.now();
  await step('Temporal CLI (dev server)', ensureTemporalCli);
  await step('Temporal time-skipping test server', ensureTimeSkippingServer);
  await step('PostgreSQL binaries and cluster', async () => {
    const pg = await startPostgres({ home: path.join(localDir, 'postgres'), port: 54329 });
    await pg.stop();
  });
  console.log(`Provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
