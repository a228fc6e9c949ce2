import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * The project's workflows and the workflow interceptors the worker runs them with: the request
 * id, and OpenTelemetry's (a RunWorkflow span per run, StartActivity spans, the trace context
 * passed on to activities). The tracing interceptors are always in the bundle — they only add
 * headers, never commands — and their spans go nowhere unless tracing is on (worker.ts).
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');
export const WORKFLOW_INTERCEPTOR_MODULES = [
  // First, so the workflow's own log lines are written inside its span and carry the trace id.
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  require.resolve('../workflows/interceptors'),
];

/**
 * Bundles the workflows (with their interceptors) into one file, as the worker would at every
 * start. A production image builds it once (`npm run workflows:build`) and the worker loads it
 * from WORKFLOW_BUNDLE_PATH, so a worker starts without webpack's seconds of CPU and memory.
 */
export async function buildWorkflowBundle(file: string): Promise<{ bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    // The worker needs an inline source map to map workflow stack traces back to the sources,
    // but not the sources themselves (two thirds of the file; only the stack-trace query with
    // showStackTraceSources, which is off, would send them): without them the worker holds
    // a 2.3 MB bundle instead of 4.3 MB, twice over while it loads it.
    webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-source-map' }),
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  return { bytes: Buffer.byteLength(code) };
}

/**
 * The worker's workflow code: the pre-built bundle when one is configured (it must exist: a
 * worker of an image whose build step was skipped stops at once, naming the path), else the
 * source, bundled at start.
 */
export function workflowCode(
  bundlePath: string | undefined,
):
  | { workflowBundle: { codePath: string } }
  | { workflowsPath: string; interceptorModules: string[] } {
  if (!bundlePath) {
    return { workflowsPath: WORKFLOWS_PATH, interceptorModules: WORKFLOW_INTERCEPTOR_MODULES };
  }
  if (!fs.existsSync(bundlePath)) {
    throw new Error(
      `WORKFLOW_BUNDLE_PATH is ${bundlePath}, but there is no file there: build it with ` +
        '`npm run workflows:build`, or unset WORKFLOW_BUNDLE_PATH to bundle at start',
    );
  }
  return { workflowBundle: { codePath: bundlePath } };
}
