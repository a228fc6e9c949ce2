import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { workflowCode } from '../../worker/bundle';
import { prebuiltBundleFor } from '../support/workflow-bundles';
import { uniqueTaskQueue } from '../support/env';
import { freePort, waitForPort } from '../../scripts/infra/process';
import { projectRoot } from '../../config/paths';

/**
 * The worker process (`npm run worker`) as a container healthcheck sees it: with
 * WORKER_HEALTH_PORT set, /healthz answers 200 once it polls Temporal, /metrics has its task
 * slots, and the endpoint goes away with the process on SIGTERM.
 */
describe('the worker process health endpoint', () => {
  let child: ChildProcess | undefined;
  let errors = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child!.once('exit', () => resolve());
        child!.kill('SIGKILL');
      });
    }
  });

  it('answers 200 while the worker runs, reports its slots, and stops with it', async () => {
    const port = await freePort();
    const code = workflowCode(undefined);
    // The bundle the global setup built from the same code, so the child does not bundle again.
    const bundle =
      'workflowsPath' in code
        ? prebuiltBundleFor({
            workflowsPath: code.workflowsPath,
            interceptors: { workflowModules: code.interceptorModules },
          })
        : undefined;
    child = spawn(
      process.execPath,
      [path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'worker/main.ts'],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          TEMPORAL_TASK_QUEUE: uniqueTaskQueue('health'),
          WORKER_SCHEDULES: 'false',
          WORKER_HEALTH_PORT: String(port),
          ...(bundle ? { WORKFLOW_BUNDLE_PATH: bundle } : {}),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));

    await waitForPort(port, 60_000, 'worker health endpoint');
    // The endpoint is up before the worker: 503 until it polls, then 200.
    let health = await fetch(`http://127.0.0.1:${port}/healthz`);
    const deadline = Date.now() + 60_000;
    while (health.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await fetch(`http://127.0.0.1:${port}/healthz`);
    }
    expect({ status: health.status, body: await health.json() }).toEqual({
      status: 200,
      body: { state: 'RUNNING' },
    });

    const metrics = (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).split('\n');
    expect(metrics).toContain('partner_worker_up 1');
    expect(
      metrics.filter((line) => line.startsWith('partner_worker_task_slots_available{')),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^partner_worker_task_slots_available\{worker_type="activity"\} \d+$/,
        ),
        expect.stringMatching(
          /^partner_worker_task_slots_available\{worker_type="workflow"\} \d+$/,
        ),
      ]),
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(errors).toBe('');
  }, 150_000);
});
