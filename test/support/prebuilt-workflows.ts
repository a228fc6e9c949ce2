import { Worker, type WorkerOptions } from '@temporalio/worker';
import { prebuiltBundleFor } from './workflow-bundles';

/**
 * Workers a test file creates (directly, through worker/worker.ts or the time-skipping
 * helpers) run the workflow bundle the global setup built from the same code, instead of
 * bundling it again: the same workflows and interceptors, without webpack's seconds of CPU
 * per worker. A worker asking for anything else bundles for itself as before.
 */
const create = Worker.create.bind(Worker);

Worker.create = (options: WorkerOptions) => {
  const codePath = prebuiltBundleFor(options);
  if (!codePath) return create(options);
  return create({
    ...options,
    workflowsPath: undefined,
    workflowBundle: { codePath },
    interceptors: { ...options.interceptors, workflowModules: [] },
  });
};
