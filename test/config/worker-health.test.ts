import { loadConfig } from '../../config';
import {
  startWorkerHealthServer,
  type ObservedWorker,
  type WorkerHealthServer,
} from '../../worker/health';

/**
 * The worker's health endpoint as a container healthcheck and Prometheus see it: 200 only while
 * the Temporal worker runs, and its task slots on /metrics.
 */

function fakeWorker(state: string, inFlight = { workflow: 0, activity: 0, local: 0 }) {
  const worker: ObservedWorker & { state: string } = {
    state,
    getState: () => worker.state,
    getStatus: () => ({
      numInFlightWorkflowActivations: inFlight.workflow,
      numInFlightNonLocalActivities: inFlight.activity,
      numInFlightLocalActivities: inFlight.local,
    }),
    options: {
      tuner: {
        workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 },
        activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
        localActivityTaskSlotSupplier: { type: 'resource-based', maximumSlots: 50 },
      },
    },
  };
  return worker;
}

describe('worker health endpoint', () => {
  let server: WorkerHealthServer | undefined;
  let current: ReturnType<typeof fakeWorker> | undefined;
  const url = (path: string) => `http://127.0.0.1:${server!.port}${path}`;

  beforeEach(async () => {
    current = undefined;
    server = await startWorkerHealthServer({ port: 0, host: '127.0.0.1', worker: () => current });
  });
  afterEach(async () => {
    await server?.close();
  });

  it('answers 503 STARTING before the worker exists', async () => {
    const response = await fetch(url('/healthz'));
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 503,
      body: { state: 'STARTING' },
    });
  });

  it('answers 200 while the worker is RUNNING and 503 once it drains or stops', async () => {
    current = fakeWorker('RUNNING');
    const seen: [string, number][] = [];
    for (const state of ['RUNNING', 'STOPPING', 'DRAINING', 'STOPPED', 'FAILED']) {
      current.state = state;
      seen.push([state, (await fetch(url('/healthz'))).status]);
    }
    expect(seen).toEqual([
      ['RUNNING', 200],
      ['STOPPING', 503],
      ['DRAINING', 503],
      ['STOPPED', 503],
      ['FAILED', 503],
    ]);
  });

  it('reports the task slots used and free, per kind of task, on /metrics', async () => {
    current = fakeWorker('RUNNING', { workflow: 3, activity: 98, local: 1 });
    const response = await fetch(url('/metrics'));
    const text = await response.text();
    const sample = (line: string) => text.split('\n').includes(line);
    expect(response.status).toBe(200);
    expect(
      [
        'partner_worker_up 1',
        'partner_worker_task_slots_used{worker_type="workflow"} 3',
        'partner_worker_task_slots_used{worker_type="activity"} 98',
        'partner_worker_task_slots_available{worker_type="workflow"} 37',
        'partner_worker_task_slots_available{worker_type="activity"} 2',
        'partner_worker_task_slots_available{worker_type="local_activity"} 49',
      ].filter((line) => !sample(line)),
    ).toEqual([]);
  });

  it('reports the worker down on /metrics once it stopped', async () => {
    current = fakeWorker('STOPPED');
    const text = await (await fetch(url('/metrics'))).text();
    expect(text.split('\n')).toContain('partner_worker_up 0');
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
  });
});

describe('WORKER_HEALTH_PORT', () => {
  it('is off unless set, and a port when set', () => {
    expect([
      loadConfig({}).workerHealthPort,
      loadConfig({ WORKER_HEALTH_PORT: '' }).workerHealthPort,
      loadConfig({ WORKER_HEALTH_PORT: '8081' }).workerHealthPort,
    ]).toEqual([undefined, undefined, 8081]);
  });

  it('refuses what is not a port', () => {
    expect(() => loadConfig({ WORKER_HEALTH_PORT: '70000' })).toThrow(/WORKER_HEALTH_PORT/);
  });
});
