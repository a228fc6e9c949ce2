import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { parseCodecKeys, type PayloadEncryptionSettings } from '../../config/payload-codec';
import { localDir } from './paths';

/**
 * Development encrypts Temporal payloads too, under a key of this clone's own: made once by
 * the first `npm start`, kept in .local (never committed), so the local histories look the way
 * production's do and the local Web UI shows them through the API's codec endpoint.
 */
export const DEVELOPMENT_CODEC_KEY_FILE = path.join(localDir, 'temporal-codec-keys');

/** TEMPORAL_CODEC_KEYS for this clone's development system (`id:base64key`), made if missing. */
export function developmentCodecKeys(): string {
  try {
    return fs.readFileSync(DEVELOPMENT_CODEC_KEY_FILE, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = `dev:${randomBytes(32).toString('base64')}`;
  fs.mkdirSync(localDir, { recursive: true });
  fs.writeFileSync(DEVELOPMENT_CODEC_KEY_FILE, `${keys}\n`, { mode: 0o600 });
  return keys;
}

/**
 * The encryption a command talking to the running system uses: the configured keys, or in
 * development without any the clone's own (what `npm start` gave the API and the worker).
 */
export function payloadEncryptionFor(config: Config): PayloadEncryptionSettings | undefined {
  if (config.payloadEncryption || config.env !== 'development') return config.payloadEncryption;
  const { keys } = parseCodecKeys(developmentCodecKeys());
  return keys[0] ? { keys, encryptingKeyId: keys[0].id } : undefined;
}
