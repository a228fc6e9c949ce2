import { NativeConnection, Worker, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Config } from '../config';
import { createLogger } from '../config/logger';
import { temporalConnectionOptions } from '../config/temporal';
import { createActivities } from '../activities';
import { createDatabase } from '../prisma/client';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** Builds and runs the worker: every workflow and activity on the platform's task queue. */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const logger = createLogger(config, 'worker');
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      },
    });
  }
  const db = createDatabase(config.databaseUrl);
  const connection = await NativeConnection.connect(
    temporalConnectionOptions(config, config.temporal.address),
  );
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ db }),
  });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  const done = worker.run().finally(async () => {
    await connection.close();
    await db.$disconnect();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
