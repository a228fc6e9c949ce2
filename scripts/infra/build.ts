import path from 'node:path';
import { buildWorkflowBundle } from '../../worker/bundle';
import { projectRoot } from './paths';
import { run } from './process';

/** Where a production build put the compiled code and the workflow bundle. */
export interface ProductionBuild {
  /** The compiled API and worker: `<app>/api/main.js`, `<app>/worker/main.js`. */
  app: string;
  workflowBundle: string;
}

/**
 * The files `npm run build` writes, into `dir` (inside the clone, so the compiled code
 * resolves node_modules as dist/ does): the API and the worker compiled by TypeScript, and the
 * pre-built workflow bundle. Types are not checked again: `npm run check` does that.
 */
export async function compileProductionBuild(dir: string): Promise<ProductionBuild> {
  const app = path.join(dir, 'app');
  const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [
    tsc,
    '-p',
    path.join(projectRoot, 'tsconfig.build.json'),
    '--noCheck',
    '--outDir',
    app,
  ]);
  const workflowBundle = path.join(dir, 'workflow-bundle.js');
  await buildWorkflowBundle(workflowBundle);
  return { app, workflowBundle };
}
