import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitForPort, isPortOpen } from './process';
import { note } from './step';

export interface DevServerOptions {
  cli: string;
  port: number;
  uiPort?: number;
  /** SQLite file for persistence; omitted = in memory. */
  dbFile?: string;
  namespace: string;
  logFile: string;
  /** Custom search attributes to register at start (name=Type). */
  searchAttributes?: Record<string, string>;
  /** The remote codec the Web UI decodes payloads with (the API's /codec). */
  codecEndpoint?: string;
  /** Called with the server's pid once it is spawned. */
  onStarted?: (pid: number) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and waits until its frontend accepts connections. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  if (await isPortOpen(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use; set TEMPORAL_PORT to a free port, or ` +
        'TEMPORAL_ADDRESS to use a Temporal server that is already running.',
    );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
  ];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.uiPort && options.codecEndpoint) {
    args.push('--ui-codec-endpoint', options.codecEndpoint);
  }
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(options.cli, args, { stdio: ['ignore', log, log] });
  if (child.pid) options.onStarted?.(child.pid);
  let exited = false;
  child.on('exit', () => (exited = true));
  note(
    `temporal server start-dev on 127.0.0.1:${options.port}${options.dbFile ? ` (db: ${options.dbFile})` : ' (in memory)'}`,
  );
  try {
    await Promise.race([
      waitForPort(options.port, 60_000, 'Temporal dev server'),
      new Promise<never>((_, reject) =>
        child.once('exit', (code) =>
          reject(new Error(`Temporal dev server exited with ${code}; see ${options.logFile}`)),
        ),
      ),
    ]);
    if (options.uiPort) await waitForPort(options.uiPort, 30_000, 'Temporal Web UI');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
