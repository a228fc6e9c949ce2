import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { DEVELOPMENT_PRINCIPALS, createTokenService, type Principal } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Config } from '../../config';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../config/payload-codec';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, uniqueTaskQueue } from '../support/env';

/**
 * Personal data reaches Temporal only encrypted: an application's contact and INN go through
 * the real API and worker with codec keys, and the history read with the plain `temporal` CLI
 * holds ciphertext alone. The Web UI's codec endpoint gives the plaintext back to finance
 * staff, and keys rotate without losing older histories.
 */
const execFileAsync = promisify(execFile);

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const UI_ORIGIN = 'http://localhost:8233';
const contact = {
  name: 'Irina Volkova',
  email: 'irina.volkova@example.com',
  phone: '+7 495 765-43-21',
};

function key(id: string): { id: string; key: Buffer } {
  return { id, key: randomBytes(32) };
}

function toBase64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function fromBase64(text: string | undefined): string {
  return Buffer.from(text ?? '', 'base64').toString('utf8');
}

/**
 * Every payload of a history in its raw JSON form, except headers, search attributes and the
 * SDK's own patch markers (a patch id, written by the SDK core outside the data converter).
 */
function payloadsOf(node: unknown, found: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(node)) {
    for (const item of node) payloadsOf(item, found);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata.encoding === 'string') {
      found.push(record);
      return found;
    }
    for (const [name, value] of Object.entries(record)) {
      // Trace context, search attributes and patch ids are not payload data; they stay plain.
      if (name === 'header' || name === 'searchAttributes' || name === 'patch-data') continue;
      payloadsOf(value, found);
    }
  }
  return found;
}

describe('personal data in workflow histories', () => {
  const base = testConfig({ taskQueue: uniqueTaskQueue('e2e-encryption') });
  const first = key('k2026a');
  const second = key('k2026b');
  const withKeys = (keys: { id: string; key: Buffer }[], encryptingKeyId: string): Config => ({
    ...base,
    payloadEncryption: { keys, encryptingKeyId },
    codecEndpoint: { corsOrigins: [UI_ORIGIN], roles: ['finance'], localAnonymous: false },
  });
  const suffix = Math.random().toString(36).slice(2, 8);
  const organizationId = `org-1001-${suffix}`;
  const workflowId = `partner-onboarding:${organizationId}`;
  const tokens: Record<string, string> = {};
  let cli: string;
  let worker: RunningWorker | undefined;
  let api: RunningApi | undefined;
  let applicationId = '';

  beforeAll(async () => {
    cli = await ensureTemporalCli();
    const service = createTokenService(base.auth);
    const anna = DEVELOPMENT_PRINCIPALS.find((p) => p.subject === 'user-anna') as Principal;
    tokens.partner = await service.issue({ ...anna, organizationId });
    tokens.finance = await service.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.manager = await service.issue({ subject: 'user-maria', role: 'manager' });
    const config = withKeys([first], first.id);
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
  });

  async function call<T>(
    target: RunningApi,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(options.body ?? {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: res.headers,
    };
  }

  /** The history as the plain CLI shows it, with no codec: what anyone with cluster access sees. */
  async function historyText(...extra: string[]): Promise<string> {
    const { stdout } = await execFileAsync(cli, [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      base.temporal.address as string,
      '--namespace',
      base.temporal.namespace,
      '--output',
      'json',
      ...extra,
    ]);
    return stdout;
  }

  it('keeps the contact and INN out of the history the Temporal CLI reads', async () => {
    const target = api as RunningApi;
    const created = await call<{ applicationId: string }>(target, '/v1/applications', {
      token: tokens.partner,
      body: { identityMethod: 'new_id' },
    });
    expect(created.status).toBe(201);
    applicationId = created.body.applicationId;
    const filled = await call<{ nextActionCode: string }>(
      target,
      `/v1/applications/${applicationId}/application`,
      {
        token: tokens.partner,
        body: { contact, company: { inn: FIXTURE_INN.active } },
      },
    );
    // The workflow read the encrypted update and answered through the encrypted result.
    expect(filled.status).toBe(200);
    expect(filled.body.nextActionCode).toBe('confirm_company');

    const raw = await historyText();
    for (const secret of [FIXTURE_INN.active, contact.email, contact.phone, contact.name]) {
      expect(raw).not.toContain(secret);
    }
    const payloads = payloadsOf(JSON.parse(await historyText('--no-json-shorthand-payloads')));
    // The start input, the update, the registry look-up and its result at least.
    expect(payloads.length).toBeGreaterThanOrEqual(4);
    for (const payload of payloads) {
      expect(fromBase64(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(fromBase64(payload.metadata?.[KEY_ID_METADATA])).toBe(first.id);
    }
  });

  it('decodes the history for finance staff through the Web UI codec endpoint', async () => {
    const target = api as RunningApi;
    const payloads = payloadsOf(JSON.parse(await historyText('--no-json-shorthand-payloads')));
    const headers = { Origin: UI_ORIGIN, 'X-Namespace': base.temporal.namespace };

    const decoded = await call<{ payloads: JsonPayload[] }>(target, '/codec/decode', {
      token: tokens.finance,
      body: { payloads },
      headers,
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const plain = decoded.body.payloads.map((p) => fromBase64(p.data)).join('\n');
    expect(plain).toContain(FIXTURE_INN.active);
    expect(plain).toContain(contact.email);
    expect(decoded.body.payloads.map((p) => fromBase64(p.metadata?.encoding))).toContain(
      'json/plain',
    );

    // Partners and managers do not see what the codec reveals; nor does anyone without a token.
    expect(
      (await call(target, '/codec/decode', { token: tokens.partner, body: { payloads } })).status,
    ).toBe(403);
    expect(
      (await call(target, '/codec/decode', { token: tokens.manager, body: { payloads } })).status,
    ).toBe(403);
    expect((await call(target, '/codec/decode', { body: { payloads } })).status).toBe(401);
    // A payload of another namespace is not this codec's.
    expect(
      (
        await call(target, '/codec/decode', {
          token: tokens.finance,
          body: { payloads },
          headers: { 'X-Namespace': 'someone-else' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers the Web UI’s CORS preflight for its origin only', async () => {
    const target = api as RunningApi;
    const preflight = (origin: string) =>
      fetch(`${target.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, x-namespace',
        },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows plaintext to the Temporal CLI pointed at the codec endpoint with a finance token', async () => {
    const target = api as RunningApi;
    const shown = await historyText(
      '--codec-endpoint',
      `${target.url}/codec`,
      '--codec-auth',
      `Bearer ${tokens.finance}`,
    );
    // The CLI prints what the codec returned: the original JSON payloads, in base64.
    const plain = payloadsOf(JSON.parse(shown))
      .map((p) => fromBase64(p.data))
      .join('\n');
    expect(shown).not.toContain(toBase64(ENCRYPTED_ENCODING));
    expect(plain).toContain(FIXTURE_INN.active);
    expect(plain).toContain(contact.email);
  });

  it('rotates keys: older payloads still decode, new ones use the new key, a dropped key fails clearly', async () => {
    // Restart the worker and the API with the new key encrypting and the old one kept.
    await api?.close();
    await worker?.shutdown();
    const rotated = withKeys([first, second], second.id);
    worker = await startWorker(rotated, { schedules: false });
    api = await startApi(rotated, { port: 0 });
    const target = api;
    // The restarted worker replays the history sealed with the old key and takes the next step.
    const confirmed = await call(target, `/v1/applications/${applicationId}/company-confirmation`, {
      token: tokens.partner,
      body: { confirmed: true },
    });
    expect(confirmed.status).toBe(200);

    const payloads = payloadsOf(JSON.parse(await historyText('--no-json-shorthand-payloads')));
    const keyIds = payloads.map((p) => fromBase64(p.metadata?.[KEY_ID_METADATA]));
    expect(keyIds).toContain(first.id);
    expect(keyIds).toContain(second.id);
    expect(keyIds.filter((id) => id !== first.id && id !== second.id)).toEqual([]);

    const decoded = await call<{ payloads: JsonPayload[] }>(target, '/codec/decode', {
      token: tokens.finance,
      body: { payloads },
    });
    expect(decoded.status).toBe(200);
    expect(decoded.body.payloads.map((p) => fromBase64(p.data)).join('\n')).toContain(
      FIXTURE_INN.active,
    );

    // An API that no longer has the old key says which key is missing.
    const forgetful = await startApi(withKeys([second], second.id), { port: 0 });
    try {
      const refused = await call<{ detail: string }>(forgetful, '/codec/decode', {
        token: tokens.finance,
        body: { payloads },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toContain(`key "${first.id}", which is not configured`);
    } finally {
      await forgetful.close();
    }
  });
});
