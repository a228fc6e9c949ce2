import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import archiver from 'archiver';
import { create as createTar } from 'tar';
import {
  ensureChromium,
  playwrightBrowsersDir,
  playwrightShell,
  type PlaywrightShell,
} from '../../scripts/infra/chromium';
import { downloadToCache, hostPlatform } from '../../scripts/infra/download';
import { freePort } from '../../scripts/infra/process';
import { ensureTemporalCli, TEMPORAL_CLI_VERSION } from '../../scripts/infra/temporal-cli';
import { ensureTimeSkippingServer, TEST_SERVER_VERSION } from '../../scripts/infra/test-server';

/**
 * Every download path of the developer setup, against a local HTTP server standing in for
 * GitHub releases, temporal.download and Playwright's CDN (through the base-URL settings). No
 * PostgreSQL or Temporal is needed. PATH holds only the fakes a test puts there, so the
 * machine's own go, java, mvn, temporal and chromium never take part.
 */

interface StandIn {
  url: string;
  /** path → body (a Buffer) or a status to answer with. */
  routes: Map<string, Buffer | number>;
  /** Answers paths the routes do not name. */
  otherwise?: (path: string) => Buffer | undefined;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

async function startStandIn(): Promise<StandIn> {
  const routes = new Map<string, Buffer | number>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(url.pathname);
    const route = routes.get(url.pathname) ?? standIn.otherwise?.(url.pathname);
    if (Buffer.isBuffer(route)) {
      res.writeHead(200, { 'content-length': route.length });
      res.end(route);
    } else {
      res.writeHead(typeof route === 'number' ? route : 404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const standIn: StandIn = {
    url: `http://127.0.0.1:${address.port}`,
    routes,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return standIn;
}

const sha256 = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('hex');

/** A gzipped tar holding `files` (name → shell script), as release archives are laid out. */
async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content, { mode: 0o755 });
    }
    const file = path.join(dir, 'out.tar.gz');
    await createTar({ gzip: true, cwd: dir, file }, Object.keys(files));
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A deflated zip holding `files`, as the Windows release archives are. */
async function zip(files: Record<string, string>): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  for (const [name, content] of Object.entries(files)) {
    archive.append(content, { name, mode: 0o755 });
  }
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Runs an executable and returns what it prints. */
const output = (file: string): string => execFileSync(file, { encoding: 'utf8' }).trim();

/** Everything in the tool cache, as paths relative to it. */
function cacheListing(cache: string): string[] {
  if (!fs.existsSync(cache)) return [];
  return (fs.readdirSync(cache, { recursive: true }) as string[]).sort();
}

const platform = hostPlatform();
if (!platform) throw new Error(`the downloads have no release for ${process.platform}`);

let standIn: StandIn;
let work: string;
let cache: string;
let bin: string;
const savedEnv = { ...process.env };

beforeEach(async () => {
  standIn = await startStandIn();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'downloads-test-'));
  cache = path.join(work, 'cache');
  bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  for (const name of [
    'TEMPORAL_CLI_PATH',
    'TEMPORAL_TEST_SERVER_PATH',
    'CHROMIUM_PATH',
    'PLAYWRIGHT_CHROMIUM_DOWNLOAD_HOST',
  ]) {
    delete process.env[name];
  }
  process.env.PARTNER_TOOL_CACHE = cache;
  process.env.PATH = bin;
  process.env.TEMPORAL_CLI_DOWNLOAD_URL = `${standIn.url}/temporalio/cli/releases/download`;
  process.env.TEMPORAL_TEST_SERVER_DOWNLOAD_URL = `${standIn.url}/temporal-download`;
  process.env.PLAYWRIGHT_DOWNLOAD_HOST = `${standIn.url}/playwright-cdn`;
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  for (const name of Object.keys(process.env)) {
    if (!(name in savedEnv)) delete process.env[name];
  }
  Object.assign(process.env, savedEnv);
  await standIn.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A host on which nothing listens. */
async function unreachable(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

describe('Temporal CLI from the release archive', () => {
  const version = TEMPORAL_CLI_VERSION.replace(/^v/, '');
  const archiveName = `temporal_cli_${version}_${platform.os}_${platform.arch}.${platform.os === 'windows' ? 'zip' : 'tar.gz'}`;
  const release = `/temporalio/cli/releases/download/${TEMPORAL_CLI_VERSION}`;
  const script = `#!/bin/sh\necho "temporal version ${version} (stand-in)"\n`;

  function publish(archive: Buffer, checksums: string): void {
    standIn.routes.set(`${release}/${archiveName}`, archive);
    standIn.routes.set(`${release}/checksums.txt`, Buffer.from(checksums));
  }

  it('downloads the archive, checks it against checksums.txt, unpacks an executable and caches it', async () => {
    const archive = await tarGz({ temporal: script, LICENSE: 'MIT' });
    publish(
      archive,
      `${sha256(Buffer.from('other'))}  temporal_cli_${version}_other_arch.tar.gz\n` +
        `${sha256(archive)}  ${archiveName}\n`,
    );

    const cli = await ensureTemporalCli();

    expect(cli).toBe(path.join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'));
    expect(output(cli)).toBe(`temporal version ${version} (stand-in)`);
    expect(fs.statSync(cli).mode & 0o111).toBe(0o111);
    // Only the binary is kept, and no staging folder is left beside it.
    expect(cacheListing(cache)).toEqual([
      `temporal-cli-${TEMPORAL_CLI_VERSION}`,
      path.join(`temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'),
    ]);
    expect(standIn.requests).toEqual([`${release}/checksums.txt`, `${release}/${archiveName}`]);

    // A second start (another clone on the same machine) uses the cache without asking.
    standIn.requests.length = 0;
    await expect(ensureTemporalCli()).resolves.toBe(cli);
    expect(standIn.requests).toEqual([]);
  });

  it('refuses an archive whose bytes differ from the published checksum and caches nothing', async () => {
    const archive = await tarGz({ temporal: script });
    const corrupted = Buffer.from(archive);
    const at = corrupted.length - 10;
    corrupted.writeUInt8(corrupted.readUInt8(at) ^ 0xff, at);
    publish(corrupted, `${sha256(archive)}  ${archiveName}\n`);

    const failure = ensureTemporalCli();

    await expect(failure).rejects.toThrow(
      new RegExp(
        `Refused .*${archiveName.replace(/\./g, '\\.')}: its SHA-256 is ${sha256(corrupted)}`,
      ),
    );
    await expect(failure).rejects.toThrow(/nothing was cached/);
    expect(cacheListing(cache)).toEqual([]);
  });

  it('refuses an archive that checksums.txt does not list', async () => {
    const archive = await tarGz({ temporal: script });
    publish(archive, `${sha256(archive)}  temporal_cli_${version}_plan9_amd64.tar.gz\n`);

    await expect(ensureTemporalCli()).rejects.toThrow(
      `checksums.txt has no checksum for ${archiveName}`,
    );
    expect(standIn.requests).not.toContain(`${release}/${archiveName}`);
    expect(cacheListing(cache)).toEqual([]);
  });

  it('builds with Go when the release host cannot be reached, and says what is missing without Go', async () => {
    process.env.TEMPORAL_CLI_DOWNLOAD_URL = await unreachable();

    await expect(ensureTemporalCli()).rejects.toThrow(
      /could not be downloaded \(Could not reach .*ECONNREFUSED.*\) and Go is not installed/,
    );
    expect(cacheListing(cache)).toEqual([]);

    // A stand-in `go` that "installs" into GOBIN, as `go install` does.
    fs.writeFileSync(
      path.join(bin, 'go'),
      '#!/bin/sh\nprintf \'#!/bin/sh\\necho built with go\\n\' > "$GOBIN/temporal"\n/bin/chmod 755 "$GOBIN/temporal"\n',
      { mode: 0o755 },
    );
    const cli = await ensureTemporalCli();
    expect(output(cli)).toBe('built with go');
    expect(cli).toBe(path.join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'));
  });

  it('unpacks zip archives (the Windows release format) the same way', async () => {
    const archive = await zip({ 'temporal.exe': script, LICENSE: 'MIT' });
    standIn.routes.set('/cli.zip', archive);
    const dest = path.join(cache, 'zip-tool');

    await downloadToCache({
      url: `${standIn.url}/cli.zip`,
      sha256: sha256(archive),
      files: { 'temporal.exe': 'temporal' },
      dest,
    });

    expect(output(path.join(dest, 'temporal'))).toBe(`temporal version ${version} (stand-in)`);
    expect(fs.readdirSync(dest)).toEqual(['temporal']);
  });
});

describe('time-skipping test server from the SDK’s download host', () => {
  const infoPath = `/temporal-download/temporal-test-server/${TEST_SERVER_VERSION}`;
  const inside = `temporal-test-server_${TEST_SERVER_VERSION}_${platform.os}_${platform.arch}/temporal-test-server`;
  const script = '#!/bin/sh\necho "test server on port $1 $2"\n';

  function describeArchive(archiveName: string): string {
    const archivePath = `/sdk-java/releases/${archiveName}`;
    standIn.routes.set(
      infoPath,
      Buffer.from(
        JSON.stringify({ archiveUrl: `${standIn.url}${archivePath}`, fileToExtract: inside }),
      ),
    );
    return archivePath;
  }

  it('downloads the native server, checks it against the .sha256 beside it and caches it', async () => {
    const archive = await tarGz({ [inside]: script });
    const archivePath = describeArchive('temporal-test-server_stand-in.tar.gz');
    standIn.routes.set(archivePath, archive);
    standIn.routes.set(
      `${archivePath}.sha256`,
      Buffer.from(`${sha256(archive)}  temporal-test-server_stand-in.tar.gz\n`),
    );

    const server = await ensureTimeSkippingServer();

    expect(server).toBe(
      path.join(
        cache,
        `temporal-test-server-native-${TEST_SERVER_VERSION}`,
        'temporal-test-server',
      ),
    );
    expect(execFileSync(server, ['7233', '--enable-time-skipping'], { encoding: 'utf8' })).toBe(
      'test server on port 7233 --enable-time-skipping\n',
    );
    expect(standIn.requests).toEqual([infoPath, `${archivePath}.sha256`, archivePath]);

    standIn.requests.length = 0;
    await expect(ensureTimeSkippingServer()).resolves.toBe(server);
    expect(standIn.requests).toEqual([]);
  });

  it('checks the release archive against the SHA-256 pinned in the repository and refuses a different file', async () => {
    const releaseName = `temporal-test-server_${TEST_SERVER_VERSION}_linux_amd64.tar.gz`;
    const archivePath = describeArchive(releaseName);
    const impostor = await tarGz({ [inside]: script });
    standIn.routes.set(archivePath, impostor);
    // A host serving a matching .sha256 cannot override the pinned value.
    standIn.routes.set(`${archivePath}.sha256`, Buffer.from(sha256(impostor)));

    const failure = ensureTimeSkippingServer();

    await expect(failure).rejects.toThrow(
      `Refused ${standIn.url}${archivePath}: its SHA-256 is ${sha256(impostor)}, but the published checksum is 41df834f`,
    );
    // Without Java and Maven there is no other way: the message says what to install.
    await expect(failure).rejects.toThrow(/needs Java 11\+ and Maven/);
    expect(standIn.requests).not.toContain(`${archivePath}.sha256`);
    expect(cacheListing(cache)).toEqual([]);
  });

  it('refuses a corrupted archive and an archive nobody publishes a checksum for', async () => {
    const archive = await tarGz({ [inside]: script });
    const archivePath = describeArchive('temporal-test-server_stand-in.tar.gz');
    standIn.routes.set(archivePath, archive.subarray(0, archive.length - 20));
    standIn.routes.set(`${archivePath}.sha256`, Buffer.from(sha256(archive)));

    await expect(ensureTimeSkippingServer()).rejects.toThrow(/Refused .*nothing was cached/);
    expect(cacheListing(cache)).toEqual([]);

    standIn.routes.set(archivePath, archive);
    standIn.routes.delete(`${archivePath}.sha256`);
    await expect(ensureTimeSkippingServer()).rejects.toThrow(
      'no known SHA-256 for temporal-test-server_stand-in.tar.gz',
    );
    expect(standIn.requests.filter((p) => p === archivePath)).toHaveLength(1);
    expect(cacheListing(cache)).toEqual([]);
  });

  it('finds the release when the host names it by its tag (with a v)', async () => {
    const archive = await tarGz({ [inside]: script });
    const archivePath = describeArchive('temporal-test-server_stand-in.tar.gz');
    standIn.routes.set(`${infoPath.replace(/\/([^/]+)$/, '/v$1')}`, standIn.routes.get(infoPath)!);
    standIn.routes.delete(infoPath);
    standIn.routes.set(archivePath, archive);
    standIn.routes.set(`${archivePath}.sha256`, Buffer.from(sha256(archive)));

    const server = await ensureTimeSkippingServer();

    expect(output(server)).toBe('test server on port');
    expect(standIn.requests.slice(0, 2)).toEqual([
      infoPath,
      `/temporal-download/temporal-test-server/v${TEST_SERVER_VERSION}`,
    ]);
  });

  it('says what to install when the download host cannot be reached', async () => {
    process.env.TEMPORAL_TEST_SERVER_DOWNLOAD_URL = await unreachable();

    await expect(ensureTimeSkippingServer()).rejects.toThrow(
      /could not be downloaded \(Could not reach .*ECONNREFUSED.*\), and fetching its jars instead needs Java 11\+ and Maven/,
    );
    expect(cacheListing(cache)).toEqual([]);
  });
});

describe('Chromium from Playwright’s browser download', () => {
  // Playwright retries a failed download several times before it gives up.
  jest.setTimeout(180_000);

  // Where Playwright's registry expects the headless shell, relative to its own folder.
  let shell: PlaywrightShell;
  let inZip: string;
  beforeAll(async () => {
    shell = await playwrightShell('path');
    inZip = path.relative(shell.dir, shell.executable).split(path.sep).join('/');
  });
  const isShellZip = (p: string) =>
    /^\/playwright-cdn\/builds\/.*chrome-headless-shell.*\.zip$/.test(p);

  function serveShell(body: Buffer): void {
    // Answer the one path Playwright asks for (it depends on the platform and browser version).
    standIn.otherwise = (p) => (isShellZip(p) ? body : undefined);
  }

  it('uses the system Chromium when there is one, without downloading', async () => {
    fs.writeFileSync(path.join(bin, 'chromium'), '#!/bin/sh\necho system\n', { mode: 0o755 });
    await expect(ensureChromium()).resolves.toBe(path.join(bin, 'chromium'));
    expect(standIn.requests).toEqual([]);
  });

  it('downloads Playwright’s headless Chromium into the tool cache once', async () => {
    serveShell(await zip({ [inZip]: '#!/bin/sh\necho headless shell\n' }));

    const chromium = await ensureChromium();

    expect(chromium.startsWith(playwrightBrowsersDir())).toBe(true);
    expect(playwrightBrowsersDir().startsWith(cache)).toBe(true);
    expect(output(chromium)).toBe('headless shell');
    expect(standIn.requests.filter(isShellZip)).toHaveLength(1);

    standIn.requests.length = 0;
    await expect(ensureChromium()).resolves.toBe(chromium);
    expect(standIn.requests).toEqual([]);
  });

  it('refuses a corrupted download, caches nothing usable, and says what to install', async () => {
    serveShell(Buffer.from('this is not a zip archive'));

    await expect(ensureChromium()).rejects.toThrow(
      /Chromium is needed for the browser tests and Playwright's download failed .*apt-get install chromium/,
    );
    const browsers = playwrightBrowsersDir();
    const listing = fs.existsSync(browsers)
      ? (fs.readdirSync(browsers, { recursive: true }) as string[])
      : [];
    expect(listing.filter((p) => p.endsWith('INSTALLATION_COMPLETE'))).toEqual([]);
    expect(listing.filter((p) => p.endsWith(path.basename(inZip)))).toEqual([]);
  });

  it('says what to install when Playwright’s host cannot be reached', async () => {
    process.env.PLAYWRIGHT_DOWNLOAD_HOST = await unreachable();

    await expect(ensureChromium()).rejects.toThrow(
      /Playwright's download failed .*ECONNREFUSED.*install Debian's chromium package/s,
    );
    expect(fs.existsSync(path.join(playwrightBrowsersDir(), path.basename(shell.dir)))).toBe(false);
  });
});
