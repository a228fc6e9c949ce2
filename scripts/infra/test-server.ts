import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, toolCacheDir } from './paths';
import { run, which } from './process';
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
  const script = [
    '#!/bin/sh',
    '# Starts the Temporal Java test server: <port> [--enable-time-skipping]',
    'here="$(cd "$(dirname "$0")" && pwd)"',
    `exec "\${JAVA:-java}" -Xss1m -XX:+UseSerialGC -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(staging, 'temporal-test-server'), script, { mode: 0o755 });
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(staging, home);
  note(`ready: ${launcher}`);
  return launcher;
}
