import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { buildWorkflowBundle } from '../../worker/bundle';
import { startWorker } from '../../worker/worker';
import {
  INTERIM_INVOICE_WORKFLOW_TYPE,
  type InterimInvoiceInput,
  type InterimInvoiceResult,
} from '../../workflows/interim-invoice.contracts';
import { testConfig, uniqueTaskQueue } from '../support/env';
import { freePort, waitForPort } from '../../scripts/infra/process';
import { compileProductionBuild } from '../../scripts/infra/build';
import { projectRoot } from '../../config/paths';

/**
 * A production worker loads the workflow bundle `npm run workflows:build` made instead of
 * bundling at start: it runs workflows (with the request-id interceptors baked in) the same,
 * and a configured bundle that is missing stops the worker at once, naming the path.
 */
describe('the pre-built workflow bundle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-bundle-'));
  const file = path.join(dir, 'workflow-bundle.js');

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs workflows from the built file', async () => {
    const { bytes } = await buildWorkflowBundle(file);
    expect(bytes).toBeGreaterThan(100_000);
    const config = { ...testConfig({ taskQueue: uniqueTaskQueue('bundle') }) };
    const worker = await startWorker({ ...config, workflowBundlePath: file }, { schedules: false });
    const connection = await Connection.connect({ address: config.temporal.address as string });
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      // A partner that does not exist crosses no threshold: the run completes doing nothing.
      const result = await client.workflow.execute<
        (input: InterimInvoiceInput) => Promise<InterimInvoiceResult>
      >(INTERIM_INVOICE_WORKFLOW_TYPE, {
        taskQueue: config.temporal.taskQueue,
        workflowId: `bundle-${randomUUID()}`,
        args: [{ partnerId: randomUUID(), month: '2099-12' }],
      });
      expect(result).toEqual({ invoices: [] });
    } finally {
      await connection.close();
      await worker.shutdown();
    }
  }, 120_000);

  it('refuses to start with a configured bundle that is not there', async () => {
    const config = testConfig({ taskQueue: uniqueTaskQueue('bundle-missing') });
    const missing = path.join(dir, 'nowhere.js');
    await expect(startWorker({ ...config, workflowBundlePath: missing })).rejects.toThrow(
      `WORKFLOW_BUNDLE_PATH is ${missing}`,
    );
  });
});

/**
 * Production runs the compiled build (`npm run build`): plain node, no TypeScript loader, so
 * the worker starts in less memory. The compiled worker runs workflows from the pre-built
 * bundle and the compiled API finds its migrations and answers, both from dist/.
 */
describe('the compiled build', () => {
  // Inside the clone, so the compiled files resolve node_modules as dist/ does.
  const out = fs.mkdtempSync(path.join(projectRoot, '.local', 'build-test-'));
  const bundle = path.join(out, 'workflow-bundle.js');
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await compileProductionBuild(out);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    fs.rmSync(out, { recursive: true, force: true });
  });

  function run(entry: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [path.join(out, 'app', entry)], {
      cwd: projectRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  }

  it('runs workflows on the compiled worker', async () => {
    const taskQueue = uniqueTaskQueue('compiled');
    const worker = run('worker/main.js', {
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_SCHEDULES: 'false',
      WORKFLOW_BUNDLE_PATH: bundle,
    });
    let errors = '';
    worker.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const config = testConfig({ taskQueue });
    const connection = await Connection.connect({ address: config.temporal.address as string });
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const result = await client.workflow.execute<
        (input: InterimInvoiceInput) => Promise<InterimInvoiceResult>
      >(INTERIM_INVOICE_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: `compiled-${randomUUID()}`,
        args: [{ partnerId: randomUUID(), month: '2099-12' }],
        workflowExecutionTimeout: '60s',
      });
      expect(result).toEqual({ invoices: [] });
    } finally {
      await connection.close();
    }
    expect(worker.exitCode).toBeNull();
    expect(errors).toBe('');
  }, 90_000);

  it('serves the API from the compiled build', async () => {
    const port = await freePort();
    run('api/main.js', { PORT: String(port) });
    await waitForPort(port, 30_000, 'compiled API');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const contract = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    expect(((await contract.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  }, 60_000);
});
