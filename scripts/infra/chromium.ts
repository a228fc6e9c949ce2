import fs from 'node:fs';
import { note } from './step';
import { run, which } from './process';

/**
 * A headless Chromium for the browser tests: CHROMIUM_PATH, else Debian's chromium on the
 * PATH, else — on a Debian machine where we are root — `apt-get install chromium` (Debian's
 * package, as the environment prescribes; Playwright's own browser downloads are not used).
 */
export async function ensureChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = which('chromium') ?? which('chromium-browser');
  if (found) return found;
  const apt = which('apt-get');
  if (!apt || process.getuid?.() !== 0) {
    throw new Error(
      'Chromium is needed for the browser tests: install Debian’s chromium package ' +
        '(apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.',
    );
  }
  note('installing Debian’s chromium with apt-get (once per machine)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run(apt, ['update', '-qq'], { env });
  await run(apt, ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
  const installed = which('chromium');
  if (!installed) throw new Error('apt-get installed chromium, but it is not on the PATH');
  return installed;
}
