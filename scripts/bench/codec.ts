import { randomBytes } from 'node:crypto';
import { temporalDataConverter, parseCodecKeys } from '../../config/payload-codec';

/**
 * The bench encrypts payloads as production does (docs/PAYLOAD-ENCRYPTION.md), under a key
 * made for this run: the API, the worker processes and the bench's own clients share it.
 */
export const BENCH_CODEC_KEYS = `bench:${randomBytes(32).toString('base64')}`;

/** The data converter of the bench's own Temporal clients. */
export const benchDataConverter = temporalDataConverter({
  keys: parseCodecKeys(BENCH_CODEC_KEYS).keys,
  encryptingKeyId: 'bench',
});
