import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

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

  it.each(files)(
    '%s replays without non-determinism',
    async (file) => {
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>,
      );
      await Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../workflows'), replayName: file },
        history,
        file.replace(/\.json$/, ''),
      );
    },
    60_000,
  );
});
