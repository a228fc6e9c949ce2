import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../worker/bundle';

/**
 * The workflow code bundled once per `npm test` instead of once per worker. Bundling the
 * workflows with webpack takes several seconds of CPU, and the integration files start some
 * fifty workers between them. The global setup builds the two variants the tests use (plain,
 * and with the platform's workflow interceptors, as worker/worker.ts runs them) from the
 * current code and names the folder in TEST_WORKFLOW_BUNDLES; `prebuilt-workflows.ts` hands
 * the matching file to every worker a test file creates.
 */
export const BUNDLES_ENV = 'TEST_WORKFLOW_BUNDLES';

const workflowsPath = require.resolve('../../workflows');

/** The variants, by the workflow interceptor modules the worker asks for. */
const VARIANTS = {
  plain: [] as string[],
  // The worker's own list: the request id and OpenTelemetry (worker/bundle.ts).
  intercepted: WORKFLOW_INTERCEPTOR_MODULES,
  // The request id alone (test/e2e/operations.e2e.test.ts).
  requestId: [require.resolve('../../workflows/interceptors')],
};
type Variant = keyof typeof VARIANTS;

function bundleFile(dir: string, variant: Variant): string {
  return path.join(dir, `workflows-${variant}.js`);
}

/**
 * Bundles every variant into `dir` (made if missing), after removing the folders that runs
 * which are gone left beside it (`run-<pid>`, e.g. of a run that was killed).
 */
export async function buildWorkflowBundles(dir: string): Promise<void> {
  removeBundlesOfGoneRuns(path.dirname(dir));
  fs.mkdirSync(dir, { recursive: true });
  for (const [variant, modules] of Object.entries(VARIANTS) as [Variant, string[]][]) {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: modules,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    fs.writeFileSync(bundleFile(dir, variant), code);
  }
}

function removeBundlesOfGoneRuns(parent: string): void {
  if (!fs.existsSync(parent)) return;
  for (const name of fs.readdirSync(parent)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface BundleRequest {
  workflowsPath?: string;
  workflowBundle?: unknown;
  bundlerOptions?: unknown;
  dataConverter?: { payloadConverterPath?: string; failureConverterPath?: string };
  interceptors?: { workflowModules?: string[] };
}

/**
 * The pre-built file for a worker that would bundle the project's workflows with exactly one
 * variant's interceptor modules and no bundler or converter options; otherwise undefined
 * (the worker bundles for itself).
 */
export function prebuiltBundleFor(options: BundleRequest): string | undefined {
  const dir = process.env[BUNDLES_ENV];
  if (!dir || dir === 'off' || options.workflowBundle || options.bundlerOptions) return undefined;
  if (options.workflowsPath !== workflowsPath) return undefined;
  if (options.dataConverter?.payloadConverterPath || options.dataConverter?.failureConverterPath)
    return undefined;
  const modules = options.interceptors?.workflowModules ?? [];
  const variant = (Object.keys(VARIANTS) as Variant[]).find(
    (name) =>
      VARIANTS[name].length === modules.length &&
      VARIANTS[name].every((module, i) => module === modules[i]),
  );
  if (!variant) return undefined;
  const file = bundleFile(dir, variant);
  return fs.existsSync(file) ? file : undefined;
}

/**
 * Where a worker that is not created through `Worker.create` (a replay worker) finds the
 * project's workflows: the pre-built plain bundle when there is one, else the source.
 */
export function projectWorkflowCode():
  { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const codePath = prebuiltBundleFor({ workflowsPath });
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath };
}
