import { activityLogInterceptors } from './interceptors';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
  type LogLevel,
} from '@temporalio/worker';
import type { Config } from '../config';
import { createLogger, type Logger } from '../config/logger';
import { temporalConnectionOptions } from '../config/temporal';
import { temporalDataConverter } from '../config/payload-codec';
import { createActivities } from '../activities';
import { createDatabase, type Database } from '../prisma/client';
import { createPresaleRepository } from '../prisma/repositories/presale.repository';
import { createRegistrationRepository } from '../prisma/repositories/registration.repository';
import { Client, Connection } from '@temporalio/client';
import { ensureMonthCloseSchedule } from './schedules';
import { startMissingWorkflows } from './sweep';
import { workflowCode } from './bundle';
import { tracingActivityInterceptors, workflowSpanSinks } from './tracing';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

const SDK_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let runtimeInstalled = false;

/**
 * Routes the Temporal SDK's own logs (worker, workflow and activity loggers) into the
 * process's structured JSON log. The SDK allows one runtime per process.
 */
function installRuntime(logger: Logger, level: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(SDK_LEVELS[level] ?? 'INFO', (entry) => {
        const method = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
        const meta = entry.meta as { requestId?: unknown; trace_id?: unknown } | undefined;
        const requestId = meta?.requestId;
        // Workflow and activity lines inside a traced run: the trace id where the API puts it.
        const traceId = meta?.trace_id;
        logger[method](
          {
            ...(requestId ? { requestId } : {}),
            ...(traceId ? { trace_id: traceId } : {}),
            sdk: entry.meta,
          },
          entry.message,
        );
      }),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      },
    });
  } catch {
    // Installed already in this process (tests start several workers).
  }
}

/** Builds and runs the worker: every workflow and activity on the platform's task queue. */
export async function startWorker(
  config: Config,
  options: { schedules?: boolean } = {},
): Promise<RunningWorker> {
  const logger = createLogger(config, 'worker');
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  installRuntime(logger, config.logLevel);
  const db = createDatabase(config.databaseUrl, {
    onError: (error) => logger.warn({ err: error }, 'PostgreSQL connection lost; reconnecting'),
  });
  const connection = await NativeConnection.connect(
    temporalConnectionOptions(config, config.temporal.address),
  );
  const code = workflowCode(config.workflowBundlePath);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    // Workflow and activity payloads encrypted (docs/PAYLOAD-ENCRYPTION.md).
    dataConverter: temporalDataConverter(config.payloadEncryption),
    taskQueue: config.temporal.taskQueue,
    ...('workflowBundle' in code
      ? { workflowBundle: code.workflowBundle }
      : { workflowsPath: code.workflowsPath }),
    activities: createActivities({ db, config }),
    interceptors: {
      // A pre-built bundle has the workflow interceptors in it already.
      workflowModules: 'workflowBundle' in code ? [] : code.interceptorModules,
      // Tracing first: its RunActivity span is active while the log line is written.
      activity: [...tracingActivityInterceptors(), activityLogInterceptors(logger)],
    },
    sinks: workflowSpanSinks(),
  });
  const housekeeping = options.schedules ?? config.temporal.schedules;
  if (housekeeping) {
    const clientConnection = await Connection.connect(
      temporalConnectionOptions(config, config.temporal.address),
    );
    try {
      const client = new Client({
        connection: clientConnection,
        namespace: config.temporal.namespace,
        dataConverter: temporalDataConverter(config.payloadEncryption),
      });
      const outcome = await ensureMonthCloseSchedule(client, config.temporal.taskQueue);
      logger.info({ scheduleId: 'var-month-close', outcome }, 'month-close schedule');
    } finally {
      await clientConnection.close();
    }
  }
  const sweeper = housekeeping
    ? startSweeper(config, db, logger)
    : { stop: () => Promise.resolve() };
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  const done = worker.run().finally(async () => {
    await sweeper.stop();
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

/**
 * Runs the sweep for workflows the API could not start (worker/sweep.ts) now and then every
 * WORKER_SWEEP_SECONDS, one sweep at a time. A failed sweep is logged and tried at the next tick.
 */
function startSweeper(config: Config, db: Database, logger: Logger): { stop(): Promise<void> } {
  let connection: Connection | undefined;
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    connection ??= await Connection.connect(
      temporalConnectionOptions(config, config.temporal.address as string),
    );
    const outcome = await startMissingWorkflows({
      client: new Client({
        connection,
        namespace: config.temporal.namespace,
        dataConverter: temporalDataConverter(config.payloadEncryption),
      }),
      taskQueue: config.temporal.taskQueue,
      registrations: createRegistrationRepository(db),
      presales: createPresaleRepository(db),
      config,
    });
    if (outcome.started.length > 0) {
      logger.warn({ started: outcome.started }, 'started workflows the API could not start');
    }
  };
  const tick = () => {
    running = running
      .then(sweep)
      .catch((error: unknown) => logger.warn({ err: error }, 'sweep failed; retried next time'));
  };
  tick();
  const timer = setInterval(tick, config.temporal.sweepSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await connection?.close();
    },
  };
}
