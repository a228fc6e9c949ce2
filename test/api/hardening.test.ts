import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { loadConfig, type Config, type HttpSecurity } from '../../config';
import { DEVELOPMENT_AUTH_SECRET } from '../../config/known-secrets';
import { testConfig } from '../support/env';

/**
 * The API's hardened defaults as a client meets them: security headers, 429 problem+json with
 * Retry-After, 401 before a body is read, /metrics and /docs closed in production, and a
 * production start refused with a secret from the repository.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const strongSecret = () => randomBytes(48).toString('base64');

function configWith(http: Partial<HttpSecurity>): Config {
  const config = testConfig();
  return { ...config, http: { ...config.http, ...http } };
}

const apis: RunningApi[] = [];
async function api(http: Partial<HttpSecurity> = {}): Promise<RunningApi> {
  const running = await startApi(configWith(http), { port: 0 });
  apis.push(running);
  return running;
}

afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

const tokens = createTokenService(testConfig().auth);
const tokenFor = (subject: string, role: 'manager' | 'billing-system' = 'manager') =>
  tokens.issue({ subject, role });

describe('security headers', () => {
  let plain: RunningApi;
  beforeAll(async () => {
    plain = await api();
  });

  it('sends a CSP for the portal, frame-ancestors none, nosniff and no referrer', async () => {
    const res = await fetch(`${plain.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // HSTS only where the API is served over HTTPS: production.
    expect(res.headers.get('strict-transport-security')).toBeNull();
    // API answers carry them too.
    const problem = await fetch(`${plain.url}/v1/partners/me`);
    expect(problem.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('lets Swagger UI at /docs use its inline styles, and nothing else inline', async () => {
    const res = await fetch(`${plain.url}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS when configured for production', async () => {
    const secure = await api({ hsts: true });
    const res = await fetch(`${secure.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});

describe('rate limits', () => {
  async function expectRateLimited(res: Response, windowSeconds: number) {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    const body = (await res.json()) as { status: number; code: string; params: object };
    expect(body).toMatchObject({
      status: 429,
      code: 'rate_limited',
      params: { seconds: retryAfter },
    });
  }

  it('limits each token, not the others, and never the health check', async () => {
    const limited = await api({
      rateLimit: { ...testConfig().http.rateLimit, windowSeconds: 60, perToken: 3 },
    });
    const first = await tokenFor('rate-limit-a');
    const second = await tokenFor('rate-limit-b');
    const call = (token: string) =>
      fetch(`${limited.url}/v1/session`, { headers: { Authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await call(first)).status).toBe(200);
    await expectRateLimited(await call(first), 60);
    expect((await call(second)).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${limited.url}/healthz`)).status).not.toBe(429);
  });

  it('limits each client address', async () => {
    const limited = await api({
      rateLimit: { ...testConfig().http.rateLimit, windowSeconds: 30, perAddress: 4 },
    });
    // The API trusts X-Forwarded-For from a proxy on the loopback interface, as in the tests.
    const from = (address: string) =>
      fetch(`${limited.url}/openapi.json`, { headers: { 'X-Forwarded-For': address } });
    for (let i = 0; i < 4; i++) expect((await from('203.0.113.7')).status).toBe(200);
    await expectRateLimited(await from('203.0.113.7'), 30);
    expect((await from('203.0.113.8')).status).toBe(200);
  });

  it('stops an address sending forged tokens long before its request limit', async () => {
    const limited = await api({
      rateLimit: { ...testConfig().http.rateLimit, authFailuresPerAddress: 5 },
    });
    const forged = (address: string, token: string) =>
      fetch(`${limited.url}/v1/session`, {
        headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': address },
      });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => forged('198.51.100.9', `forged.${i}.token`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    await expectRateLimited(answers[statuses.indexOf(429)] as Response, 60);
    // Valid tokens from another address are not affected; their successes are not counted.
    const good = await tokenFor('auth-failures-good');
    for (let i = 0; i < 8; i++) expect((await forged('198.51.100.10', good)).status).toBe(200);
  });
});

describe('authentication before the body', () => {
  let plain: RunningApi;
  beforeAll(async () => {
    plain = await api();
  });

  /**
   * Announces a 20 MB JSON body but sends only its first 64 KiB, then waits: an API that read
   * (and parsed) the body before checking the token would never answer.
   */
  function postPartly(
    url: string,
    token: string,
  ): Promise<{ status: number; ms: number; connection?: string }> {
    const size = 20 * 1024 * 1024;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(`${url}/v1/consumption/batches`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': String(size),
        },
      });
      req.on('response', (res) => {
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          connection: res.headers.connection,
        });
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      req.setTimeout(10_000, () =>
        req.destroy(new Error('no answer: the body is being waited for')),
      );
      req.write(`{"lines":[${'0,'.repeat(32 * 1024)}`);
    });
  }

  it('answers 401 to a bad token without reading a 20 MB body, and closes the connection', async () => {
    const answer = await postPartly(plain.url, 'not-a-token');
    expect(answer.status).toBe(401);
    expect(answer.ms).toBeLessThan(5_000);
    expect(answer.connection).toBe('close');
  });

  it('reads the body of an authenticated caller, up to the route’s own limit', async () => {
    const token = await tokenFor('body-limits', 'billing-system');
    // Parsed and validated (an empty batch is refused): the 20 MB route takes 1 MB.
    const padded = JSON.stringify({ lines: [], pad: 'x'.repeat(1024 * 1024) });
    const res = await fetch(`${plain.url}/v1/consumption/batches`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: padded,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
    // A bad token and a whole 20 MB body: still 401, not 413 or 400.
    const big = await fetch(`${plain.url}/v1/consumption/batches`, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' },
      body: JSON.stringify({ lines: [], pad: 'x'.repeat(20 * 1024 * 1024) }),
    }).catch((error: unknown) => error);
    // The server may close before taking the whole upload; an answer, when read, is the 401.
    if (big instanceof Response) expect(big.status).toBe(401);
  });

  it('keeps routes without authentication working', async () => {
    expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${plain.url}/openapi.json`)).status).toBe(200);
  });
});

describe('/metrics and /docs in production', () => {
  it('serves /metrics only to the bearer of METRICS_TOKEN', async () => {
    const metricsToken = strongSecret();
    const closed = await api({
      metrics: { public: false, token: metricsToken },
      docsPublic: false,
    });
    const scrape = (token?: string) =>
      fetch(`${closed.url}/metrics`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await scrape(strongSecret())).status).toBe(401);
    const scraped = await scrape(metricsToken);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('partner_http_request_duration_seconds');
    // Swagger UI is gone; the OpenAPI document stays, clients need the contract.
    expect((await fetch(`${closed.url}/docs/`)).status).toBe(404);
    expect((await fetch(`${closed.url}/docs/swagger-ui-init.js`)).status).toBe(404);
    expect((await fetch(`${closed.url}/openapi.json`)).status).toBe(200);
  });

  it('has no /metrics at all when closed and no token is configured', async () => {
    const closed = await api({ metrics: { public: false } });
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(404);
  });

  it('closes both by default in production, with HSTS and limits on', () => {
    // Production also needs payload encryption keys (docs/PAYLOAD-ENCRYPTION.md).
    const codecKeys = `k1:${randomBytes(32).toString('base64')}`;
    const config = loadConfig({
      NODE_ENV: 'production',
      AUTH_SECRET: strongSecret(),
      TEMPORAL_CODEC_KEYS: codecKeys,
    });
    expect(config.http).toMatchObject({
      hsts: true,
      metrics: { public: false },
      docsPublic: false,
      rateLimit: { windowSeconds: 60, perToken: 600, perAddress: 1200 },
    });
    expect(config.http.rateLimit.authFailuresPerAddress).toBeLessThanOrEqual(100);
    const open = loadConfig({
      NODE_ENV: 'production',
      AUTH_SECRET: strongSecret(),
      TEMPORAL_CODEC_KEYS: codecKeys,
      METRICS_PUBLIC: 'true',
      DOCS_PUBLIC: 'true',
    });
    expect(open.http).toMatchObject({ metrics: { public: true }, docsPublic: true });
  });
});

describe('production secrets', () => {
  it('refuses the development AUTH_SECRET, naming it', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', AUTH_SECRET: DEVELOPMENT_AUTH_SECRET }),
    ).toThrow(/AUTH_SECRET: is a value published in the repository/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET: must be set/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(20) + 'abcdefghij' }),
    ).toThrow(/AUTH_SECRET: must carry at least 256 bits/);
  });

  it('refuses a weak webhook secret or metrics token in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        AUTH_SECRET: strongSecret(),
        NOTIFICATION_WEBHOOK_URL: 'https://hooks.example/partner',
        NOTIFICATION_WEBHOOK_SECRET: 'hunter2-hunter2-hunter2',
        METRICS_TOKEN: 'prometheus',
      }),
    ).toThrow(/NOTIFICATION_WEBHOOK_SECRET: must carry[\s\S]*METRICS_TOKEN: must carry/);
  });

  it('stops `npm run api` with the development secret before connecting to anything', async () => {
    const started = performance.now();
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['api/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        AUTH_SECRET: DEVELOPMENT_AUTH_SECRET,
        // Nothing listens here: a start that got past the configuration would hang or fail later.
        DATABASE_URL: 'postgresql://partner:partner@127.0.0.1:9/partner_platform',
        TEMPORAL_ADDRESS: '127.0.0.1:9',
        PORT: '9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toContain('Invalid configuration');
    expect(output).toMatch(/AUTH_SECRET: is a value published in the repository/);
    expect(output).not.toMatch(/API listening|ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 40_000);
});
