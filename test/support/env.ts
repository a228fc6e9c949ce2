import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig, type Config } from '../../config';
import { createDatabase, type Database } from '../../prisma/client';

/** Configuration pointing at the services the global setup started. */
export function testConfig(overrides: Partial<Config['temporal']> = {}): Config {
  const config = loadConfig(process.env);
  return { ...config, temporal: { ...config.temporal, ...overrides } };
}

/** A task queue of the test file's own, so workers of parallel test files never steal tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function testDatabase(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through `npm test`');
  return createDatabase(url, { poolSize: 4 });
}

/** The time-skipping test server, started from the launcher the global setup provisioned. */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path)
    throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests through `npm test`');
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}
