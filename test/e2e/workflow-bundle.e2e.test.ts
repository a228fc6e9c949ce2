import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { buildWorkflowBundle } from '../../worker/bundle';
import { startWorker } from '../../worker/worker';
import {
  INTERIM_INVOICE_WORKFLOW_TYPE,
  type InterimInvoiceInput,
  type InterimInvoiceResult,
} from '../../workflows/interim-invoice.contracts';
import { testConfig, uniqueTaskQueue } from '../support/env';

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
