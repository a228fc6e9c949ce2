import fs from 'node:fs';
import path from 'node:path';
import { checksumBeside, downloadToCache, fetchBytes, hostPlatform } from './download';
import { projectRoot, toolCacheDir } from './paths';
import { spawn } from 'node:child_process';
import { freePort, run, waitForPort, which } from './process';
import { note } from './step';

/**
 * Version of the time-skipping test server: the native build fetched through temporal.download
 * and io.temporal:temporal-test-server from Maven Central are the same release, so the
 * download and the Maven fallback behave the same.
 */
export const TEST_SERVER_VERSION = '1.38.0';

/**
 * The host the SDK asks where a test server release lives (it answers with the archive's URL);
 * TEMPORAL_TEST_SERVER_DOWNLOAD_URL replaces it.
 */
export const TEST_SERVER_DOWNLOAD_HOST = 'https://temporal.download';

/**
 * SHA-256 of the native test server archives, by file name. Temporal publishes no checksum
 * for them: the SDK downloads them unverified, and the sdk-java releases carry no checksum
 * file. The Linux x86-64 value below is the one another public project pins for this release
 * file; it could not be confirmed from a machine with internet while writing this. A value
 * that does not match is refused (the archive is never run or cached), so a wrong entry costs
 * the fallback below, never safety. An archive without an entry here is used only when its
 * host serves a `<archive>.sha256` beside it; otherwise it is refused. Add the values for
 * other platforms after checking them with `sha256sum` on the downloaded release files.
 */
export const TEST_SERVER_ARCHIVE_SHA256: Readonly<Record<string, string>> = {
  'temporal-test-server_1.38.0_linux_amd64.tar.gz':
    '41df834fe8e1ac59619e13908f41b63e4d1054f37634a2f89033d8cf6af71b96',
};

/**
 * Provides the Temporal time-skipping test server, in this order: TEMPORAL_TEST_SERVER_PATH →
 * `temporal-test-server` on PATH → the per-machine cache (the native build, or the Maven jars
 * when Java is installed) → the native build the SDK downloads (temporal.download), checked
 * against a known SHA-256 → the Java server's jars fetched with Maven plus a small launcher.
 * The SDK's TestWorkflowEnvironment starts the result as an existing executable.
 */
export async function ensureTimeSkippingServer(): Promise<string> {
  const configured = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) {
      throw new Error(`TEMPORAL_TEST_SERVER_PATH points at ${configured}, which does not exist`);
    }
    note(`using TEMPORAL_TEST_SERVER_PATH=${configured}`);
    return configured;
  }
  const onPath = which('temporal-test-server');
  if (onPath) {
    note(`using temporal-test-server from PATH: ${onPath}`);
    return onPath;
  }
  const nativeHome = path.join(
    toolCacheDir(),
    `temporal-test-server-native-${TEST_SERVER_VERSION}`,
  );
  const native = path.join(
    nativeHome,
    process.platform === 'win32' ? 'temporal-test-server.exe' : 'temporal-test-server',
  );
  if (fs.existsSync(native)) {
    note(`cached: ${native}`);
    return native;
  }
  const home = path.join(toolCacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const launcher = path.join(home, 'temporal-test-server');
  const java = which('java');
  if (fs.existsSync(launcher) && java) {
    note(`cached: ${launcher}`);
    writeLauncher(home);
    await ensureClassArchive(home);
    return launcher;
  }
  let downloadFailure: string | undefined;
  try {
    await downloadNativeTestServer(nativeHome, path.basename(native));
    note(`downloaded: ${native}`);
    return native;
  } catch (error) {
    downloadFailure = (error as Error).message;
    note(`download failed: ${downloadFailure}`);
  }
  const mvn = which('mvn');
  if (!java || !mvn) {
    throw new Error(
      `The time-skipping test server could not be downloaded (${downloadFailure}), and ` +
        'fetching its jars instead needs Java 11+ and Maven. Connect to the internet, install ' +
        'Java and Maven, or set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server executable.',
    );
  }
  note(
    `fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its dependencies from Maven Central instead`,
  );
  const staging = `${home}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  await run(
    mvn,
    [
      '-q',
      '-B',
      '-f',
      path.join(projectRoot, 'scripts', 'infra', 'test-server.pom.xml'),
      `-Dtest-server.version=${TEST_SERVER_VERSION}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${path.join(staging, 'lib')}`,
      '-DincludeScope=runtime',
    ],
    { cwd: staging },
  );
  writeLauncher(staging);
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(staging, home);
  await ensureClassArchive(home);
  note(`ready: ${launcher}`);
  return launcher;
}

/**
 * Asks the download host where this platform's native test server of TEST_SERVER_VERSION
 * lives (as the SDK does: `/temporal-test-server/<version>?arch=…&platform=…` answers
 * `{ archiveUrl, fileToExtract }`), downloads it and keeps the executable in `home`.
 */
async function downloadNativeTestServer(home: string, binary: string): Promise<void> {
  const platform = hostPlatform();
  if (!platform) throw new Error(`no native test server for ${process.platform}/${process.arch}`);
  const base = (process.env.TEMPORAL_TEST_SERVER_DOWNLOAD_URL || TEST_SERVER_DOWNLOAD_HOST).replace(
    /\/+$/,
    '',
  );
  const query = new URLSearchParams({ arch: platform.arch, platform: platform.os });
  // The host names sdk-java releases; accept the version with or without its tag's `v`.
  let info: { archiveUrl?: unknown; fileToExtract?: unknown } | undefined;
  let infoUrl = '';
  for (const version of [TEST_SERVER_VERSION, `v${TEST_SERVER_VERSION}`]) {
    infoUrl = `${base}/temporal-test-server/${version}?${query.toString()}`;
    note(`asking ${infoUrl}`);
    try {
      info = JSON.parse((await fetchBytes(infoUrl)).toString('utf8')) as typeof info;
      break;
    } catch (error) {
      if (!/ answered 4\d\d /.test((error as Error).message)) throw error;
    }
  }
  if (!info) throw new Error(`${base} knows no test server release ${TEST_SERVER_VERSION}`);
  if (typeof info.archiveUrl !== 'string' || typeof info.fileToExtract !== 'string') {
    throw new Error(`${infoUrl} did not answer with an archiveUrl and a fileToExtract`);
  }
  const archiveName = path.posix.basename(new URL(info.archiveUrl).pathname);
  const pinned = TEST_SERVER_ARCHIVE_SHA256[archiveName];
  const sha256 = pinned ?? (await checksumBeside(info.archiveUrl));
  if (!sha256) {
    throw new Error(
      `no known SHA-256 for ${archiveName} (none pinned in scripts/infra/test-server.ts and ` +
        `no ${archiveName}.sha256 beside it); refusing to run an unverified download`,
    );
  }
  note(`downloading ${info.archiveUrl}`);
  await downloadToCache({
    url: info.archiveUrl,
    sha256,
    files: { [info.fileToExtract]: binary },
    dest: home,
  });
  note(`SHA-256 ${sha256} matches ${pinned ? 'the pinned value' : `${archiveName}.sha256`}`);
}

/**
 * The launcher the SDK starts. Every test file starts a server of its own, so its start-up
 * counts: the JVM maps the classes it loaded on an earlier run from a class-data archive
 * (when there is one) and compiles with the quick compiler only — about 2.6 s → 0.9 s on a
 * busy 2-core machine, well inside the SDK's 5 s wait.
 */
function writeLauncher(home: string): void {
  const script = [
    '#!/bin/sh',
    '# Starts the Temporal Java test server: <port> [--enable-time-skipping]',
    'here="$(cd "$(dirname "$0")" && pwd)"',
    'archive=""',
    'if [ -f "$here/classes.jsa" ]; then archive="-XX:SharedArchiveFile=$here/classes.jsa"; fi',
    `exec "\${JAVA:-java}" -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 $archive -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
  const file = path.join(home, 'temporal-test-server');
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === script) return;
  fs.writeFileSync(`${file}.${process.pid}`, script, { mode: 0o755 });
  fs.renameSync(`${file}.${process.pid}`, file);
}

/** Records the classes a server start loads into `classes.jsa`, once per machine. */
async function ensureClassArchive(home: string): Promise<void> {
  const archive = path.join(home, 'classes.jsa');
  if (fs.existsSync(archive)) return;
  const java = process.env.JAVA ?? which('java');
  if (!java) return;
  const partial = `${archive}.${process.pid}`;
  const port = await freePort();
  const server = spawn(
    java,
    [
      '-Xss1m',
      '-XX:+UseSerialGC',
      `-XX:ArchiveClassesAtExit=${partial}`,
      '-cp',
      `${path.join(home, 'lib')}/*`,
      'io.temporal.testserver.TestServer',
      String(port),
      '--enable-time-skipping',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  try {
    await waitForPort(port, 60_000, 'time-skipping test server (recording its classes)');
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
  // Without an archive the server only starts slower: nothing to fail for.
  if (fs.existsSync(partial)) fs.renameSync(partial, archive);
  note(`class-data archive for faster starts: ${archive}`);
}
