import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { InterimInvoiceResult } from '../../workflows/interim-invoice.contracts';
import { interimInvoiceWorkflowId } from '../../workflows/interim-invoice.contracts';
import { interimInvoiceWorkflow } from '../../workflows';
import { timeSkippingEnvironment, uniqueTaskQueue } from '../support/env';
import { recordHistory } from '../support/histories';

/**
 * The billing-threshold check on the time-skipping server with a fake activity (the
 * database's decision is tested with the real SQL elsewhere): it issues invoices while the
 * threshold is reached, then stops, and is findable in Temporal by partner and month.
 */
describe('interimInvoiceWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('interim');
  /** Invoices the fake "database" still has to issue, per partner. */
  const due = new Map<string, number>();
  const calls: string[] = [];

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        // eslint-disable-next-line @typescript-eslint/require-await
        async issueInterimInvoiceIfDue(input: { partnerId: string; month: string }) {
          calls.push(`${input.partnerId}:${input.month}`);
          const left = due.get(input.partnerId) ?? 0;
          if (left === 0) return null;
          due.set(input.partnerId, left - 1);
          return { invoiceId: `inv-${left}`, number: `INT-${left}`, payable: '1000.00' };
        },
      },
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('issues interim invoices while the threshold is reached, then stops', async () => {
    due.set('partner-a', 2);
    const handle = await env.client.workflow.start(interimInvoiceWorkflow, {
      taskQueue,
      workflowId: interimInvoiceWorkflowId('partner-a', '2026-10'),
      args: [{ partnerId: 'partner-a', month: '2026-10' }],
    });
    const result: InterimInvoiceResult = await handle.result();
    expect(result.invoices.map((i) => i.number)).toEqual(['INT-2', 'INT-1']);
    expect(calls.filter((c) => c === 'partner-a:2026-10')).toHaveLength(3);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['PartnerId', 'partner-a'],
        ['BillingMonth', '2026-10'],
      ]),
    );
    await recordHistory('interim-invoice', handle);
  });
});
