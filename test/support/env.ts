import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../config';
import { createDatabase, type Database } from '../../prisma/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

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
  const env = await startTimeSkippingServer(path);
  // The workflows set custom search attributes; the test server knows only those registered.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      CUSTOM_SEARCH_ATTRIBUTES.map((key) => [
        key.name,
        temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}

/**
 * The SDK gives the server five seconds to listen, and the JVM behind the launcher can need
 * more when the machine is busy (two test files at a time, plus the checks). A start that
 * timed out is tried again; the SDK has stopped the process it started by then.
 */
async function startTimeSkippingServer(path: string): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (error) {
      const slow = error instanceof Error && error.message.includes('did not start within');
      if (!slow || attempt >= 6) throw error;
    }
  }
}

/**
 * A worker on the time-skipping server with the real activities. No workflow cache: every
 * task replays the history from the start, which checks determinism on each step and lets a
 * restarted worker pick up at once (the test server does not hand sticky tasks of a stopped
 * worker to another one).
 */
export async function startTestWorker(
  env: TestWorkflowEnvironment,
  options: { taskQueue: string; activities: object },
): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: options.activities,
    maxCachedWorkflows: 0,
  });
  return { worker, running: worker.run() };
}

/**
 * Waits for a workflow to close by polling its status. Awaiting `handle.result()` through the
 * time-skipping client lets the server skip time freely until the client locks it again,
 * which makes its clock leap (years, seen here); polling keeps the clock still.
 */
export async function waitUntilClosed(handle: WorkflowHandle): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await handle.describe()).status.name !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workflow ${handle.workflowId} did not close`);
}
