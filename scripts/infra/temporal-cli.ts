import fs from 'node:fs';
import path from 'node:path';
import { downloadToCache, hostPlatform, publishedChecksum } from './download';
import { toolCacheDir } from './paths';
import { run, which } from './process';
import { note } from './step';

/**
 * Newest Temporal CLI that installs with a plain `go install`: later releases carry a
 * `replace` directive in go.mod that `go install` refuses. It embeds server 1.29. The release
 * archive and the Go build are the same version, so either gives the same dev server.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Where the CLI's GitHub releases are published; TEMPORAL_CLI_DOWNLOAD_URL replaces it. */
export const TEMPORAL_CLI_RELEASES = 'https://github.com/temporalio/cli/releases/download';

/**
 * Finds the Temporal CLI (which runs the dev server), in this order:
 * TEMPORAL_CLI_PATH → `temporal` on PATH → the per-machine cache → the official release
 * archive for this platform, checked against the release's checksums.txt → a build from the
 * Go module proxy into that cache (for machines that reach the Go proxy but not GitHub).
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
  const binary = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
  const cached = path.join(binDir, binary);
  if (fs.existsSync(cached)) {
    note(`cached: ${cached}`);
    return cached;
  }
  let downloadFailure: string | undefined;
  try {
    await downloadTemporalCli(binDir, binary);
    note(`downloaded: ${cached}`);
    return cached;
  } catch (error) {
    downloadFailure = (error as Error).message;
    note(`download failed: ${downloadFailure}`);
  }
  const go = which('go');
  if (!go) {
    throw new Error(
      `The Temporal CLI could not be downloaded (${downloadFailure}) and Go is not installed ` +
        'to build it. Connect to the internet, install the CLI (https://docs.temporal.io/cli) ' +
        'and set TEMPORAL_CLI_PATH, or install Go.',
    );
  }
  note(
    `building github.com/temporalio/cli ${TEMPORAL_CLI_VERSION} with Go instead (takes a few minutes once per machine)`,
  );
  const staging = `${binDir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
  });
  // Rename is atomic, so a concurrent or interrupted build never leaves a half binary.
  fs.mkdirSync(binDir, { recursive: true });
  fs.renameSync(path.join(staging, binary), cached);
  fs.rmSync(staging, { recursive: true, force: true });
  note(`built: ${cached}`);
  return cached;
}

/** Downloads the release archive for this platform into `binDir`, verified. */
async function downloadTemporalCli(binDir: string, binary: string): Promise<void> {
  const platform = hostPlatform();
  if (!platform) throw new Error(`no Temporal CLI release for ${process.platform}/${process.arch}`);
  const base = (process.env.TEMPORAL_CLI_DOWNLOAD_URL || TEMPORAL_CLI_RELEASES).replace(/\/+$/, '');
  const version = TEMPORAL_CLI_VERSION.replace(/^v/, '');
  const format = platform.os === 'windows' ? 'zip' : 'tar.gz';
  const archive = `temporal_cli_${version}_${platform.os}_${platform.arch}.${format}`;
  const release = `${base}/${TEMPORAL_CLI_VERSION}`;
  const sha256 = await publishedChecksum(`${release}/checksums.txt`, archive);
  note(`downloading ${release}/${archive}`);
  await downloadToCache({
    url: `${release}/${archive}`,
    format,
    sha256,
    files: { [binary]: binary },
    dest: binDir,
  });
  note(`SHA-256 ${sha256} matches the release's checksums.txt`);
}
