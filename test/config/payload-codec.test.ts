import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../config';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  parseCodecKeys,
} from '../../config/payload-codec';

/** The codec's own keys, made for this run: no key material is kept in the repository. */
const oldKey = { id: 'old', key: randomBytes(32) };
const newKey = { id: 'new', key: randomBytes(32) };
const bankDetails = { inn: '7704123450', bik: '044525225', account: '40702810400000012345' };

const text = (value: Uint8Array | null | undefined) => Buffer.from(value ?? []).toString('utf8');
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(bankDetails);

describe('the payload codec', () => {
  const codec = new EncryptionCodec({ keys: [oldKey], encryptingKeyId: 'old' });

  it('seals a payload so its text is gone, and opens it to the original', async () => {
    const [sealed] = await codec.encode([plainPayload()]);
    expect(text(sealed?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed?.metadata?.[KEY_ID_METADATA])).toBe('old');
    expect(Buffer.from(sealed?.data ?? []).includes(bankDetails.account)).toBe(false);
    const [opened] = await codec.decode([sealed as Payload]);
    expect(text(opened?.metadata?.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual(bankDetails);
  });

  it('uses a fresh nonce for every payload: the same data never seals the same way', async () => {
    const [a, b] = await codec.encode([plainPayload(), plainPayload()]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
    expect(Buffer.from(a?.data ?? []).subarray(0, 12)).not.toEqual(
      Buffer.from(b?.data ?? []).subarray(0, 12),
    );
  });

  it('refuses a payload whose bytes were altered', async () => {
    const [sealed] = await codec.encode([plainPayload()]);
    const data = Buffer.from(sealed?.data ?? []);
    data[20] = (data[20] ?? 0) ^ 0x01;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(
      /did not decrypt with key "old": it was altered/,
    );
  });

  it('refuses a payload relabelled with another key id, and names an unknown one', async () => {
    const both = new EncryptionCodec({ keys: [oldKey, newKey], encryptingKeyId: 'new' });
    const [sealed] = await both.encode([plainPayload()]);
    const relabelled = {
      ...sealed,
      metadata: { ...sealed?.metadata, [KEY_ID_METADATA]: Buffer.from('old') },
    };
    await expect(both.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([sealed as Payload])).rejects.toThrow(
      'a payload is encrypted with key "new", which is not configured (configured: old)',
    );
  });

  it('opens payloads of a retired key after rotation, and seals new ones with the new key', async () => {
    const [before] = await codec.encode([plainPayload()]);
    const rotated = new EncryptionCodec({ keys: [oldKey, newKey], encryptingKeyId: 'new' });
    const [opened] = await rotated.decode([before as Payload]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual(bankDetails);
    const [after] = await rotated.encode([plainPayload()]);
    expect(text(after?.metadata?.[KEY_ID_METADATA])).toBe('new');
  });

  it('passes payloads that were never encrypted through unchanged (older and recorded histories)', async () => {
    const plain = plainPayload();
    const [same] = await codec.decode([plain]);
    expect(same).toBe(plain);
  });
});

describe('codec keys in configuration', () => {
  const entry = (id: string, bytes = randomBytes(32)) => `${id}:${bytes.toString('base64')}`;

  it('reads id:base64 pairs and refuses keys that are not 256 bits', () => {
    const { keys, problems } = parseCodecKeys(
      `${entry('a')}, ${entry('b', randomBytes(16))},nocolon`,
    );
    expect(keys.map((key) => key.id)).toEqual(['a']);
    expect(problems).toEqual([
      expect.stringContaining('key "b" must be 32 bytes (256 bits)'),
      expect.stringContaining('is not id:base64key'),
    ]);
  });

  it('encrypts with the only key, and asks which one when several are listed', () => {
    expect(loadConfig({ TEMPORAL_CODEC_KEYS: entry('a') }).payloadEncryption?.encryptingKeyId).toBe(
      'a',
    );
    expect(() => loadConfig({ TEMPORAL_CODEC_KEYS: `${entry('a')},${entry('b')}` })).toThrow(
      /TEMPORAL_CODEC_KEY_ID: must name the encrypting key/,
    );
    expect(() =>
      loadConfig({
        TEMPORAL_CODEC_KEYS: `${entry('a')},${entry('b')}`,
        TEMPORAL_CODEC_KEY_ID: 'c',
      }),
    ).toThrow(/TEMPORAL_CODEC_KEY_ID: "c" is not among TEMPORAL_CODEC_KEYS/);
    expect(loadConfig({}).payloadEncryption).toBeUndefined();
  });

  it('refuses to start production without keys, with a patterned key, or an anonymous codec', () => {
    const production = { NODE_ENV: 'production', AUTH_SECRET: randomBytes(48).toString('base64') };
    expect(() => loadConfig(production)).toThrow(/TEMPORAL_CODEC_KEYS: must be set in production/);
    expect(() =>
      loadConfig({ ...production, TEMPORAL_CODEC_KEYS: entry('zero', Buffer.alloc(32)) }),
    ).toThrow(/key "zero" repeats too few characters/);
    expect(() =>
      loadConfig({
        ...production,
        TEMPORAL_CODEC_KEYS: entry('a'),
        TEMPORAL_CODEC_LOCAL_ANONYMOUS: 'true',
      }),
    ).toThrow(/TEMPORAL_CODEC_LOCAL_ANONYMOUS: must not be true in production/);
    const config = loadConfig({ ...production, TEMPORAL_CODEC_KEYS: entry('a') });
    expect(config.codecEndpoint).toMatchObject({
      roles: ['manager', 'finance'],
      localAnonymous: false,
    });
  });

  it('lets the local Web UI call the codec in development, as localhost and 127.0.0.1', () => {
    expect(loadConfig({}).codecEndpoint).toMatchObject({
      localAnonymous: true,
      corsOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
    });
  });
});
