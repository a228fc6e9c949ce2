import path from 'node:path';
import { buildWorkflowBundle } from '../worker/bundle';

/**
 * `npm run workflows:build [file]`: the workflow bundle a production worker loads from
 * WORKFLOW_BUNDLE_PATH (default file dist/workflow-bundle.js).
 */
async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? path.join('dist', 'workflow-bundle.js'));
  const { bytes } = await buildWorkflowBundle(file);
  console.log(`workflow bundle: ${file} (${(bytes / 1024 / 1024).toFixed(2)} MiB)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
