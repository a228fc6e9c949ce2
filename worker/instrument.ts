import { loadConfig, loadEnvFile } from '../config';
import { startTracing } from '../config/tracing';

/**
 * The worker's first import (worker/main.ts): starts tracing as `partner-worker` before `http`,
 * `express` and `pg` are loaded, so their spans are recorded. A configuration error is left
 * for main to report with every other problem.
 */
try {
  loadEnvFile();
  startTracing(loadConfig().tracing, 'partner-worker');
} catch {
  // main.ts loads the configuration again and reports what is wrong.
}
