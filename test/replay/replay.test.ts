import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

/**
 * Replays recorded histories of real runs through the current workflow code. A change that
 * would break workflows already running in production (non-determinism) fails here; such a
 * change needs `patched()` or a new workflow type. Record new histories with
 * `RECORD_HISTORIES=1 npx jest test/workflows` and commit them.
 */
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('are present', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
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
