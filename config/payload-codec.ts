import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Encryption of everything the platform hands to Temporal: workflow inputs and results,
 * signals, updates and queries, activity inputs and results, memos and failure details. Bank
 * details and contacts then reach Temporal's database (and its Web UI, its CLI and anyone with
 * access to the cluster) only as ciphertext. Search attributes are not payloads and stay plain,
 * as the visibility store must read them.
 *
 * Each payload is sealed with AES-256-GCM under the encrypting key and a fresh 96-bit nonce.
 * The key's id travels in the payload's metadata, so payloads written under a retired key still
 * open as long as that key stays configured (docs/PAYLOAD-ENCRYPTION.md).
 */

/** The metadata `encoding` of a payload this codec sealed. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key that names the key a payload was sealed with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  /** 32 bytes of key material. */
  key: Buffer;
}

export interface PayloadEncryptionSettings {
  keys: CodecKey[];
  /** The id of the key new payloads are sealed with. */
  encryptingKeyId: string;
}

/** A payload that could not be opened: unknown key id, wrong key, or altered bytes. */
export class PayloadDecryptionError extends Error {}

/** Key ids are short names written into every payload: letters, digits, `.`, `_`, `-`. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Reads `id:base64key,id:base64key…` (TEMPORAL_CODEC_KEYS). Returns the keys, or the problems
 * found, one sentence each.
 */
export function parseCodecKeys(list: string): { keys: CodecKey[]; problems: string[] } {
  const keys: CodecKey[] = [];
  const problems: string[] = [];
  for (const entry of list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const material = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!KEY_ID.test(id)) {
      problems.push(`"${entry.slice(0, 12)}…" is not id:base64key (id: letters, digits, . _ -)`);
      continue;
    }
    if (keys.some((key) => key.id === id)) {
      problems.push(`key id "${id}" appears twice`);
      continue;
    }
    const key = Buffer.from(material, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(material) || key.length !== KEY_BYTES) {
      problems.push(
        `key "${id}" must be ${KEY_BYTES} bytes (256 bits) in base64; generate one with \`openssl rand -base64 32\``,
      );
      continue;
    }
    keys.push({ id, key });
  }
  return { keys, problems };
}

/** The AES-GCM payload codec over the configured keys. */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly encrypting: CodecKey;

  constructor(settings: PayloadEncryptionSettings) {
    this.keys = new Map(settings.keys.map((key) => [key.id, key.key]));
    const key = this.keys.get(settings.encryptingKeyId);
    if (!key) throw new Error(`the encrypting key "${settings.encryptingKeyId}" is not configured`);
    if (key.length !== KEY_BYTES)
      throw new Error(`key "${settings.encryptingKeyId}" is not 256 bits`);
    this.encrypting = { id: settings.encryptingKeyId, key };
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => this.seal(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => this.open(payload)));
  }

  private seal(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.encrypting.key, nonce);
    // The key id is authenticated too: a payload relabelled with another id does not open.
    cipher.setAAD(Buffer.from(this.encrypting.id));
    const sealed = Buffer.concat([
      nonce,
      cipher.update(plain),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(this.encrypting.id),
      },
      data: sealed,
    };
  }

  /**
   * Opens a sealed payload; any other payload passes through unchanged, so histories written
   * before encryption was turned on (and the recorded ones the replay tests read) still decode.
   */
  private open(payload: Payload): Payload {
    if (metadataText(payload, 'encoding') !== ENCRYPTED_ENCODING) return payload;
    const keyId = metadataText(payload, KEY_ID_METADATA);
    if (!keyId) throw new PayloadDecryptionError('an encrypted payload names no key id');
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${keyId}", which is not configured (configured: ${[...this.keys.keys()].join(', ')})`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < NONCE_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") is truncated`);
    }
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `a payload did not decrypt with key "${keyId}": it was altered, or the key is not the one it was sealed with`,
      );
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: inner.metadata, data: inner.data };
  }
}

/** The work's result as a promise: a failure rejects it rather than throwing at the caller. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}

/**
 * The data converter every Temporal client and worker of the platform uses: the encryption
 * codec when keys are configured, the SDK's default otherwise (tests that do not set keys).
 */
export function temporalDataConverter(
  encryption: PayloadEncryptionSettings | undefined,
): DataConverter | undefined {
  return encryption ? { payloadCodecs: [new EncryptionCodec(encryption)] } : undefined;
}
