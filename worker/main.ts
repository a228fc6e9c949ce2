import { loadConfig, loadEnvFile } from '../config';
import { startWorker } from './worker';

/** Entry point of the worker process (`npm run worker`). */
async function main(): Promise<void> {
  loadEnvFile();
  const running = await startWorker(loadConfig());
  const stop = () => void running.shutdown();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await running.done;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
