import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, toolCacheDir } from './paths';
import { spawn } from 'node:child_process';
import { freePort, run, waitForPort, which } from './process';
import { note } from './step';

/** Version of io.temporal:temporal-test-server fetched from Maven Central. */
export const TEST_SERVER_VERSION = '1.38.0';

/**
 * Provides the Temporal time-skipping test server: TEMPORAL_TEST_SERVER_PATH if set,
 * otherwise the Java server's jars fetched once per machine with Maven plus a small launcher
 * that the SDK's TestWorkflowEnvironment starts as an existing executable.
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
  const home = path.join(toolCacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const launcher = path.join(home, 'temporal-test-server');
  if (fs.existsSync(launcher)) {
    note(`cached: ${launcher}`);
    writeLauncher(home);
    await ensureClassArchive(home);
    return launcher;
  }
  const java = which('java');
  const mvn = which('mvn');
  if (!java || !mvn) {
    throw new Error(
      'The time-skipping test server needs Java 11+ and Maven to fetch its jars ' +
        '(or set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server executable).',
    );
  }
  note(
    `fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its dependencies from Maven Central`,
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
