import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's health endpoint (WORKER_HEALTH_PORT), for container healthchecks and Prometheus:
 *
 *   GET /healthz   200 {"state":"RUNNING"} while the Temporal worker polls its task queue;
 *                  503 with the state otherwise (STARTING before it exists, then DRAINING,
 *                  STOPPED, FAILED…), so an orchestrator restarts a worker that stopped polling.
 *   GET /metrics   the worker's task slots (used and free, per kind of task) and process figures.
 *
 * It is bound to the container's network only; nothing in it is confidential.
 */

/** How many tasks of one kind the worker may run at once, as the SDK compiled it. */
interface SlotSupplier {
  type: string;
  numSlots?: number;
  maximumSlots?: number;
}

/** What the endpoint reads of a Temporal Worker (a real `Worker` fits). */
export interface ObservedWorker {
  getState(): string;
  getStatus(): {
    numInFlightWorkflowActivations: number;
    numInFlightNonLocalActivities: number;
    numInFlightLocalActivities: number;
  };
  readonly options: {
    tuner: {
      workflowTaskSlotSupplier: SlotSupplier;
      activityTaskSlotSupplier: SlotSupplier;
      localActivityTaskSlotSupplier: SlotSupplier;
    };
  };
}

export interface WorkerHealthServer {
  port: number;
  close(): Promise<void>;
}

const SLOT_KINDS = [
  ['workflow', 'workflowTaskSlotSupplier', 'numInFlightWorkflowActivations'],
  ['activity', 'activityTaskSlotSupplier', 'numInFlightNonLocalActivities'],
  ['local_activity', 'localActivityTaskSlotSupplier', 'numInFlightLocalActivities'],
] as const;

function slotLimit(supplier: SlotSupplier): number | undefined {
  if (supplier.type === 'fixed-size') return supplier.numSlots;
  return supplier.maximumSlots;
}

/** The metrics of one worker process; `worker()` is undefined until the worker exists. */
export function createWorkerMetrics(worker: () => ObservedWorker | undefined): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'partner_worker_' });
  new Gauge({
    name: 'partner_worker_up',
    help: 'Whether the Temporal worker is running (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(worker()?.getState() === 'RUNNING' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'partner_worker_task_slots_used',
    help: 'Tasks the worker is running now, by kind (workflow, activity, local_activity)',
    labelNames: ['worker_type'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const current = worker();
      if (!current) return;
      const status = current.getStatus();
      for (const [kind, , inFlight] of SLOT_KINDS) {
        this.set({ worker_type: kind }, status[inFlight]);
      }
    },
  });
  new Gauge({
    name: 'partner_worker_task_slots_available',
    help: 'Further tasks the worker may take now, by kind (its limit minus the running ones)',
    labelNames: ['worker_type'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const current = worker();
      if (!current) return;
      const status = current.getStatus();
      for (const [kind, supplier, inFlight] of SLOT_KINDS) {
        const limit = slotLimit(current.options.tuner[supplier]);
        if (limit !== undefined) {
          this.set({ worker_type: kind }, Math.max(0, limit - status[inFlight]));
        }
      }
    },
  });
  return registry;
}

/** Starts the endpoint on `port` (0 = any free port) of `host`. */
export async function startWorkerHealthServer(options: {
  port: number;
  host?: string;
  worker: () => ObservedWorker | undefined;
}): Promise<WorkerHealthServer> {
  const registry = createWorkerMetrics(options.worker);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const state = options.worker()?.getState() ?? 'STARTING';
      res
        .writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ state }));
      return;
    }
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
