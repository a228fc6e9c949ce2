import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { extract as extractTar } from 'tar';

/**
 * Downloading a tool once per machine: fetch an archive, check it against a SHA-256 the
 * publisher (or this repository) vouches for, unpack the few files we run, and move them into
 * the per-machine cache in one rename. Nothing unverified is ever unpacked into the cache, and
 * an interrupted or concurrent download never leaves a half tool behind.
 */

/** How long a small file (a checksum list, a download description) may take. */
const SMALL_FILE_TIMEOUT_MS = 30_000;
/** How long one archive may take; the largest (the Temporal CLI) is about 30 MB. */
const ARCHIVE_TIMEOUT_MS = 10 * 60_000;

/** The archive's bytes do not match the checksum they were published with. */
export class ChecksumMismatchError extends Error {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `Refused ${url}: its SHA-256 is ${actual}, but the published checksum is ${expected}. ` +
        'The download is corrupted or not the published file; nothing was cached.',
    );
    this.name = 'ChecksumMismatchError';
  }
}

/** The operating system and processor names download hosts use. */
export interface HostPlatform {
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
}

/** This machine's platform as download hosts name it, or undefined when none is published. */
export function hostPlatform(): HostPlatform | undefined {
  const os =
    process.platform === 'linux'
      ? 'linux'
      : process.platform === 'darwin'
        ? 'darwin'
        : process.platform === 'win32'
          ? 'windows'
          : undefined;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
  return os && arch ? { os, arch } : undefined;
}

/** GETs a URL and returns its body; any status but 2xx is an error naming the URL. */
export async function fetchBytes(url: string, timeoutMs = SMALL_FILE_TIMEOUT_MS): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(
      `Could not reach ${url}${cause ? ` (${cause})` : `: ${(error as Error).message}`}`,
    );
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * The SHA-256 that a checksum list (`sha256sum` format: `<hex>  <file name>` per line, as
 * GoReleaser writes `checksums.txt`) gives for one file.
 */
export async function publishedChecksum(listUrl: string, fileName: string): Promise<string> {
  const text = (await fetchBytes(listUrl)).toString('utf8');
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2] === fileName) return match[1].toLowerCase();
  }
  throw new Error(
    `${listUrl} has no checksum for ${fileName}; refusing to use an archive nobody vouches for.`,
  );
}

/**
 * The SHA-256 in a `<archive>.sha256` file beside an archive (the first 64 hex digits), or
 * undefined when the host serves none.
 */
export async function checksumBeside(archiveUrl: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await fetchBytes(`${archiveUrl}.sha256`)).toString('utf8');
  } catch {
    return undefined;
  }
  return /\b([0-9a-fA-F]{64})\b/.exec(text)?.[1]?.toLowerCase();
}

export interface ArchiveDownload {
  /** The archive: `.tar.gz`/`.tgz` or `.zip` (told by `format`, else by the URL's ending). */
  url: string;
  format?: 'tar.gz' | 'zip';
  /** Expected SHA-256 of the whole archive, in hex. */
  sha256: string;
  /** Files to keep: path inside the archive → file name in the cache folder. Made executable. */
  files: Record<string, string>;
  /** The cache folder to create; it appears complete or not at all. */
  dest: string;
}

/**
 * Downloads, verifies and unpacks an archive into `dest` (see ArchiveDownload). Returns `dest`.
 * When another process has filled `dest` meanwhile, its copy is kept and ours dropped.
 */
export async function downloadToCache(download: ArchiveDownload): Promise<string> {
  const bytes = await fetchBytes(download.url, ARCHIVE_TIMEOUT_MS);
  const actual = crypto.createHash('sha256').update(bytes).digest('hex');
  const expected = download.sha256.toLowerCase();
  if (actual !== expected) throw new ChecksumMismatchError(download.url, expected, actual);

  fs.mkdirSync(path.dirname(download.dest), { recursive: true });
  const staging = fs.mkdtempSync(`${download.dest}.partial-`);
  try {
    const unpacked = path.join(staging, 'unpacked');
    const ready = path.join(staging, 'ready');
    fs.mkdirSync(unpacked);
    fs.mkdirSync(ready);
    const format =
      download.format ?? (/\.zip$/i.test(new URL(download.url).pathname) ? 'zip' : 'tar.gz');
    const wanted = Object.keys(download.files).map(normalize);
    if (format === 'zip') unzipEntries(bytes, wanted, unpacked);
    else {
      const archive = path.join(staging, 'archive.tar.gz');
      fs.writeFileSync(archive, bytes);
      await extractTar({
        file: archive,
        cwd: unpacked,
        filter: (entry) => wanted.includes(normalize(entry)),
      });
    }
    for (const [inside, name] of Object.entries(download.files)) {
      const from = path.join(unpacked, normalize(inside));
      if (!fs.existsSync(from)) {
        throw new Error(`${download.url} does not contain ${inside}; nothing was cached.`);
      }
      fs.renameSync(from, path.join(ready, name));
      fs.chmodSync(path.join(ready, name), 0o755);
    }
    // An empty folder left by an earlier interrupted attempt may stand in the way.
    if (fs.existsSync(download.dest) && fs.readdirSync(download.dest).length === 0) {
      fs.rmdirSync(download.dest);
    }
    try {
      fs.renameSync(ready, download.dest);
    } catch (error) {
      if (!fs.existsSync(download.dest)) throw error;
      // Another process finished first: keep its copy.
    }
    return download.dest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function normalize(entry: string): string {
  return entry.replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * Unpacks the named entries of a zip archive (stored or deflated, as release tools write
 * them). Only the named entries are written, under their own names, so a crafted entry name
 * cannot reach outside `into`.
 */
function unzipEntries(zip: Buffer, wanted: string[], into: string): void {
  const endSignature = 0x06054b50;
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === endSignature) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = normalize(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (!wanted.includes(name)) continue;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error('damaged zip entry');
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    let content: Buffer;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) content = zlib.inflateRawSync(data);
    else throw new Error(`zip entry ${name} uses compression method ${method}, not supported`);
    const target = path.join(into, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}
