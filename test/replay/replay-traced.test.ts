import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/bundle';
import { workflowSpanSinks } from '../../worker/tracing';
import { prebuiltBundleFor } from '../support/workflow-bundles';

/**
 * The recorded histories (all made before tracing existed) replayed through the workflow code
 * with the interceptors the worker runs — the request id and OpenTelemetry's — and the
 * workflow span sink. Workflows already running when a worker with tracing is deployed carry
 * on: the tracing interceptors only add headers and spans, never a command or a timer.
 */
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories under the tracing interceptors', () => {
  const outcomes = new Map<string, Error | undefined>();

  beforeAll(async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(
        JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>,
      ),
    }));
    const codePath = prebuiltBundleFor({
      workflowsPath: WORKFLOWS_PATH,
      interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
    });
    const code = codePath
      ? { workflowBundle: { codePath } }
      : {
          workflowsPath: WORKFLOWS_PATH,
          interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        };
    for await (const result of Worker.runReplayHistories(
      { ...code, sinks: workflowSpanSinks(), replayName: 'recorded-histories-traced' },
      histories,
    )) {
      outcomes.set(result.workflowId, result.error);
    }
  }, 120_000);

  it.each(files)('%s replays without non-determinism', (file) => {
    const workflowId = file.replace(/\.json$/, '');
    expect(outcomes.has(workflowId)).toBe(true);
    const error = outcomes.get(workflowId);
    if (error) throw error;
  });
});
