import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { localDir, projectRoot } from '../infra/paths';
import { startPostgres, type LocalPostgres } from '../infra/postgres';
import { freePort } from '../infra/process';
import { compileProductionBuild, type ProductionBuild } from '../infra/build';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { startTemporalDevServer, type DevServer } from '../infra/temporal-dev-server';
import { recreateDatabase } from '../infra/database';
import { migrate } from '../../prisma/migrator';

/**
 * The benchmarks' own PostgreSQL and in-memory Temporal dev server, on free ports, so a
 * benchmark never touches `npm start`'s data and runs beside it.
 */
export interface BenchInfra {
  databaseUrl: string;
  temporalAddress: string;
  /** Drops and recreates the benchmark database with every migration applied. */
  resetDatabase(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchInfra(): Promise<BenchInfra> {
  const home = path.join(localDir, 'bench-postgres');
  const pg: LocalPostgres = await startPostgres({ home, port: await freePort() });
  const databaseUrl = pg.url('partner_bench');
  const cli = await ensureTemporalCli();
  const temporal: DevServer = await startTemporalDevServer({
    cli,
    port: await freePort(),
    namespace: 'default',
    logFile: path.join(localDir, 'logs', 'bench-temporal.log'),
    searchAttributes: SEARCH_ATTRIBUTES,
  });
  return {
    databaseUrl,
    temporalAddress: temporal.address,
    async resetDatabase() {
      await recreateDatabase(databaseUrl);
      await migrate(databaseUrl);
    },
    async stop() {
      await temporal.stop();
      await pg.stop();
    },
  };
}

/** The worker as a process of its own, so its memory can be read from /proc. */
export interface WorkerProcess {
  pid: number;
  /** Peak resident memory so far (VmHWM), in MiB. */
  peakMiB(): number;
  stop(): Promise<void>;
}

/**
 * The production build, made once per benchmark run as a production image makes it
 * (`npm run build`): the compiled worker, run by plain node, and the pre-built workflow
 * bundle it loads instead of running webpack at start.
 */
let productionBuild: Promise<ProductionBuild> | undefined;
function buildForProduction(): Promise<ProductionBuild> {
  productionBuild ??= compileProductionBuild(path.join(localDir, 'bench', `build-${process.pid}`));
  return productionBuild;
}

/** Removes this run's production build. */
export function removeProductionBuild(): void {
  fs.rmSync(path.join(localDir, 'bench', `build-${process.pid}`), { recursive: true, force: true });
}

export async function startWorkerProcess(
  env: Record<string, string>,
  taskQueue: string,
): Promise<WorkerProcess> {
  // The worker starts the way production starts it: compiled, from the pre-built workflow
  // bundle, so neither a TypeScript loader nor webpack competes with the close.
  const build = await buildForProduction();
  // BENCH_CPU_PROFILE=1 writes the worker's CPU profile to .local/bench/profiles/.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', path.join(localDir, 'bench', 'profiles')]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, path.join(build.app, 'worker', 'main.js')],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...env,
        TEMPORAL_TASK_QUEUE: taskQueue,
        WORKER_SCHEDULES: 'false',
        LOG_LEVEL: 'warn',
        WORKFLOW_BUNDLE_PATH: build.workflowBundle,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // The worker logs nothing at warn level when it starts: give it a moment to poll.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
  const pid = child.pid as number;
  return {
    pid,
    peakMiB() {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
