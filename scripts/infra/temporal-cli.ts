import fs from 'node:fs';
import path from 'node:path';
import { toolCacheDir } from './paths';
import { run, which } from './process';
import { note } from './step';

/**
 * Newest Temporal CLI that installs with a plain `go install`: later releases carry a
 * `replace` directive in go.mod that `go install` refuses. It embeds server 1.29.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/**
 * Finds the Temporal CLI (which runs the dev server), in this order:
 * TEMPORAL_CLI_PATH → `temporal` on PATH → the per-machine cache → a build from the Go
 * module proxy into that cache.
 */
export async function ensureTemporalCli(): Promise<string> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) {
      throw new Error(`TEMPORAL_CLI_PATH points at ${configured}, which does not exist`);
    }
    note(`using TEMPORAL_CLI_PATH=${configured}`);
    return configured;
  }
  const onPath = which('temporal');
  if (onPath) {
    note(`using temporal from PATH: ${onPath}`);
    return onPath;
  }
  const binDir = path.join(toolCacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const cached = path.join(binDir, 'temporal');
  if (fs.existsSync(cached)) {
    note(`cached: ${cached}`);
    return cached;
  }
  const go = which('go');
  if (!go) {
    throw new Error(
      'The Temporal CLI is missing and Go is not installed to build it. Install the CLI ' +
        '(https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH, or install Go.',
    );
  }
  note(
    `building github.com/temporalio/cli ${TEMPORAL_CLI_VERSION} with Go (takes a few minutes once per machine)`,
  );
  const staging = `${binDir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
  });
  // Rename is atomic, so a concurrent or interrupted build never leaves a half binary.
  fs.mkdirSync(binDir, { recursive: true });
  fs.renameSync(path.join(staging, 'temporal'), cached);
  fs.rmSync(staging, { recursive: true, force: true });
  note(`built: ${cached}`);
  return cached;
}
