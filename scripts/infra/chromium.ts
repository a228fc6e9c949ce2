import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, toolCacheDir } from './paths';
import { note } from './step';
import { run, which } from './process';

/**
 * Asks playwright-core's own browser registry (in a child process, so that its download
 * folder is ours) for the headless Chromium shell of the installed playwright-core version:
 * `path` prints where it lives, `install` downloads it first. The registry downloads from
 * cdn.playwright.dev, or from PLAYWRIGHT_DOWNLOAD_HOST when set, and unpacks into a folder
 * marked complete only at the end. The registry is an internal module of playwright-core, so
 * a playwright-core upgrade must keep this script working (the downloads test covers it).
 */
const RESULT = 'registry-result: ';
const REGISTRY_SCRIPT = `
const RESULT = ${JSON.stringify(RESULT)};
const { registry } = require('playwright-core/lib/coreBundle').registry;
const shell = registry.findExecutable('chromium-headless-shell');
(async () => {
  if (process.argv[1] === 'install') await registry.install([shell], { force: false });
  const found = { executable: shell.executablePath(), dir: shell.directory };
  process.stdout.write('\\n' + RESULT + JSON.stringify(found) + '\\n');
})().catch((error) => { process.stderr.write(String(error && error.message || error)); process.exit(1); });
`;

/** Where Playwright's browser downloads are kept, per machine. */
export function playwrightBrowsersDir(): string {
  return path.join(toolCacheDir(), 'playwright-browsers');
}

/** Where Playwright's headless Chromium shell lives (or will) in the per-machine cache. */
export interface PlaywrightShell {
  /** The executable. */
  executable: string;
  /** Its folder, holding INSTALLATION_COMPLETE once fully unpacked. */
  dir: string;
}

/** Runs the registry script: `path` only locates the shell, `install` downloads it first. */
export async function playwrightShell(action: 'path' | 'install'): Promise<PlaywrightShell> {
  const { stdout } = await run(process.execPath, ['-e', REGISTRY_SCRIPT, action], {
    cwd: projectRoot,
    env: { ...process.env, PLAYWRIGHT_BROWSERS_PATH: playwrightBrowsersDir() },
  }).catch((error: Error) => {
    // Keep what Playwright said, not the script that was run.
    const said = error.message.split(/exited with \d+\n/)[1] ?? error.message;
    throw new Error(said.replace(/\s+/g, ' ').trim().slice(0, 400));
  });
  // Playwright prints its download progress on stdout too: our answer is the marked line.
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (!line) throw new Error(`Playwright's registry gave no answer: ${stdout.slice(-300)}`);
  const found = JSON.parse(line.slice(RESULT.length)) as Partial<PlaywrightShell>;
  if (!found.executable || !found.dir) {
    throw new Error(`Playwright has no headless Chromium for ${process.platform}/${process.arch}`);
  }
  return { executable: found.executable, dir: found.dir };
}

/** The shell's executable when it is fully unpacked, else undefined. */
async function installedShell(action: 'path' | 'install'): Promise<string | undefined> {
  const shell = await playwrightShell(action);
  const complete =
    fs.existsSync(shell.executable) && fs.existsSync(path.join(shell.dir, 'INSTALLATION_COMPLETE'));
  return complete ? shell.executable : undefined;
}

/**
 * A headless Chromium for the browser tests, in this order: CHROMIUM_PATH → the system's
 * chromium on the PATH → Playwright's headless Chromium shell in the per-machine cache →
 * Playwright's own browser download into that cache → on a Debian machine where we are root,
 * `apt-get install chromium`. Playwright publishes no checksums for its browser builds and
 * checks none itself, so that download is trusted on its HTTPS host alone.
 */
export async function ensureChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = which('chromium') ?? which('chromium-browser');
  if (found) return found;
  const cached = await installedShell('path').catch(() => undefined);
  if (cached) {
    note(`cached: ${cached}`);
    return cached;
  }
  let downloadFailure: string | undefined;
  try {
    note(
      `downloading Playwright's headless Chromium into ${playwrightBrowsersDir()} (once per machine)`,
    );
    const downloaded = await installedShell('install');
    if (downloaded) {
      note(`downloaded: ${downloaded}`);
      return downloaded;
    }
    downloadFailure = 'Playwright installed nothing for this platform';
  } catch (error) {
    downloadFailure = (error as Error).message;
  }
  note(`download failed: ${downloadFailure}`);
  const apt = which('apt-get');
  if (!apt || process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is needed for the browser tests and Playwright's download failed ` +
        `(${downloadFailure}). Connect to the internet, install Debian's chromium package ` +
        '(apt-get install chromium), or set CHROMIUM_PATH to a Chromium executable.',
    );
  }
  note('installing Debian’s chromium with apt-get instead (once per machine)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run(apt, ['update', '-qq'], { env });
  await run(apt, ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
  const installed = which('chromium');
  if (!installed) throw new Error('apt-get installed chromium, but it is not on the PATH');
  return installed;
}
