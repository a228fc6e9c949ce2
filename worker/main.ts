// First: tracing must start before http and pg are loaded.
import './instrument';
import { loadConfig, loadEnvFile } from '../config';
import { activeTracing } from '../config/tracing';
import { startWorkerHealthServer, type ObservedWorker } from './health';
import { startWorker } from './worker';

/** Entry point of the worker process (`npm run worker`). */
async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  // The health endpoint answers 503 until the worker runs, and again once it has stopped.
  const started: { worker?: ObservedWorker } = {};
  const health =
    config.workerHealthPort === undefined
      ? undefined
      : await startWorkerHealthServer({
          port: config.workerHealthPort,
          worker: () => started.worker,
        });
  const running = await startWorker(config);
  started.worker = running.worker;
  const stop = () => void running.shutdown();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await running.done;
  } finally {
    await health?.close();
  }
  await activeTracing().shutdown();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
