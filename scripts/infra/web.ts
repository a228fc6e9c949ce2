import path from 'node:path';
import { projectRoot } from './paths';
import { run } from './process';

/**
 * Builds the web portal (web/ → web/dist) with Vite. It takes about a second, so every
 * `npm start` and every test run builds it afresh rather than guessing whether it is stale.
 */
export async function buildWeb(): Promise<string> {
  const vite = path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], { cwd: projectRoot });
  return path.join(projectRoot, 'web', 'dist');
}
