import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { projectWorkflowCode } from '../support/workflow-bundles';

/**
 * Replays recorded histories of real runs through the current workflow code. A change that
 * would break workflows already running in production (non-determinism) fails here; such a
 * change needs `patched()` or a new workflow type. Record new histories with
 * `RECORD_HISTORIES=<release> npx jest test/workflows` (written as `<name>-<release>.json`
 * beside the histories of earlier releases, never over them) and commit them.
 */
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('cover every workflow type', () => {
    const types = new Set(
      files.map((file) => {
        const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
          events: {
            workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
          }[];
        };
        return history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      }),
    );
    expect([...types].sort()).toEqual([
      'interimInvoiceWorkflow',
      'monthCloseWorkflow',
      'partnerExitWorkflow',
      'partnerOnboardingWorkflow',
      'partnerRevocationWorkflow',
      'presaleRequestWorkflow',
      'registrationReviewWorkflow',
    ]);
  });

  /** Each history's outcome, all replayed by one replay worker on one bundle of the code. */
  const outcomes = new Map<string, Error | undefined>();

  beforeAll(async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(
        JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>,
      ),
    }));
    for await (const result of Worker.runReplayHistories(
      { ...projectWorkflowCode(), replayName: 'recorded-histories' },
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
