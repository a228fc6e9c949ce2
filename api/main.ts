// First: tracing must start before http, express and pg are loaded.
import './instrument';
import { loadConfig, loadEnvFile } from '../config';
import { activeTracing } from '../config/tracing';
import { startApi } from './server';

/** Entry point of the API process (`npm run api`). */
async function main(): Promise<void> {
  loadEnvFile();
  const api = await startApi(loadConfig());
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    api
      .close()
      .then(() => activeTracing().shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
