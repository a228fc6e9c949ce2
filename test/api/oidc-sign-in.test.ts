import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import { createTokenService, DEVELOPMENT_PRINCIPALS } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Config, OidcSettings } from '../../config';
import { localDir } from '../../scripts/infra/paths';
import { freePort } from '../../scripts/infra/process';
import { testConfig } from '../support/env';
import {
  accessTokenFromIdp,
  IDP_AUDIENCE,
  IDP_CLIENT_ID,
  reserveIssuer,
  startIdp,
  type TestIdp,
} from '../support/identity-provider';

/**
 * Sign-in with OpenID Connect as the API meets it: an access token the development identity
 * provider issued after its login form (authorization code + PKCE) is accepted with the role
 * and organization from its claims; a token for another audience or issuer, an expired one,
 * or an HS256 one signed with another key is refused with 401; an identity provider whose keys
 * cannot be fetched makes the API answer 503 at once.
 */
const apis: RunningApi[] = [];
let idp: TestIdp;
let api: RunningApi;
let issuer: string;

function oidc(overrides: Partial<OidcSettings> = {}): OidcSettings {
  return {
    issuer,
    audience: IDP_AUDIENCE,
    clientId: IDP_CLIENT_ID,
    scope: 'openid profile api',
    jwksTimeoutMs: 1_000,
    claims: { role: 'role', organization: 'org', name: 'name' },
    ...overrides,
  };
}

async function apiWith(
  settings: OidcSettings,
  auth: Partial<Config['auth']> = {},
): Promise<RunningApi> {
  const config = testConfig();
  const running = await startApi(
    { ...config, oidc: settings, auth: { ...config.auth, ...auth } },
    { port: 0 },
  );
  apis.push(running);
  return running;
}

const whoAmI = (base: RunningApi, token: string) =>
  fetch(`${base.url}/v1/session`, { headers: { Authorization: `Bearer ${token}` } });

/** A token signed with the provider's own key (kept in .local), with claims chosen here. */
async function signedByIdp(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  const stored = JSON.parse(
    fs.readFileSync(path.join(localDir, 'dev-idp', 'keys.json'), 'utf8'),
  ) as { keys: (JWK & { kid: string })[] };
  const jwk = stored.keys[0]!;
  const key = await importJWK(jwk, 'RS256');
  return new SignJWT({ role: 'manager', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
    .setSubject('user-maria')
    .setIssuer(issuer)
    .setAudience(IDP_AUDIENCE)
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(key);
}

beforeAll(async () => {
  issuer = await reserveIssuer();
  api = await apiWith(oidc());
  idp = await startIdp({ issuer, accounts: DEVELOPMENT_PRINCIPALS, portalUrl: api.url });
}, 60_000);

afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  await idp?.stop();
});

describe('an access token from the identity provider', () => {
  it('signs a partner in with the role and organization of its claims', async () => {
    const token = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-anna' });
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(decodeJwt(token)).toMatchObject({ iss: issuer, aud: IDP_AUDIENCE, sub: 'user-anna' });
    const res = await whoAmI(api, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: 'user-anna',
      role: 'partner',
      organizationId: 'org-1001',
      name: 'Anna (partner, org-1001)',
    });
  });

  it('lets a manager into manager routes and keeps a partner out of them', async () => {
    const manager = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-maria' });
    const partner = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-boris' });
    expect((await (await whoAmI(api, manager)).json()) as object).toMatchObject({
      role: 'manager',
      organizationId: null,
    });
    const queue = (token: string) =>
      fetch(`${api.url}/v1/review-queue`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await queue(partner)).status).toBe(403);
  });

  it('is not issued for a wrong password', async () => {
    await expect(
      accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-anna', password: 'guess' }),
    ).rejects.toThrow('refused');
  });

  it('is refused by an API that expects another audience or another issuer', async () => {
    const token = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-maria' });
    const otherAudience = await apiWith(oidc({ audience: 'another-api' }));
    const otherIssuer = await apiWith(
      oidc({ issuer: `${issuer}/elsewhere`, jwksUrl: `${issuer}/jwks` }),
    );
    for (const other of [otherAudience, otherIssuer]) {
      const res = await whoAmI(other, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('is refused once expired, and refused when it names no valid role', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await whoAmI(api, await signedByIdp({}, now - 60));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ detail: 'the token has expired' });
    // The same key and claims, still valid, pass: the refusal above is the expiry alone.
    expect((await whoAmI(api, await signedByIdp({}, now + 600))).status).toBe(200);
    const noRole = await whoAmI(api, await signedByIdp({ role: 'admin' }, now + 600));
    expect(noRole.status).toBe(401);
  });
});

describe('tokens signed with the shared secret (npm run token)', () => {
  it('keep working for scripts and tests, and one signed with another key is refused', async () => {
    const config = testConfig();
    const good = await createTokenService(config.auth).issue({
      subject: 'script',
      role: 'finance',
    });
    expect((await whoAmI(api, good)).status).toBe(200);
    const forged = await createTokenService({
      ...config.auth,
      secret: 'not-the-secret-of-this-deployment-at-all-0123456789',
    }).issue({ subject: 'script', role: 'finance' });
    const res = await whoAmI(api, forged);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ detail: 'the token is not valid' });
  });

  it('are refused where the deployment accepts only the identity provider', async () => {
    const strict = await apiWith(oidc(), { acceptSharedSecretTokens: false });
    const token = await createTokenService(testConfig().auth).issue({
      subject: 'script',
      role: 'finance',
    });
    expect((await whoAmI(strict, token)).status).toBe(401);
    const fromIdp = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-fedor' });
    expect((await whoAmI(strict, fromIdp)).status).toBe(200);
  });
});

describe('an identity provider whose keys cannot be fetched', () => {
  it('answers 503 with Retry-After at once when nothing listens there', async () => {
    const dead = `http://localhost:${await freePort()}`;
    const orphan = await apiWith(oidc({ issuer: dead }));
    const token = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-maria' });
    const started = Date.now();
    const res = await whoAmI(orphan, token);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({
      code: 'dependency_unavailable',
      params: { dependency: 'identity-provider' },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 503 within its timeout when the key set never comes', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const hanging = await apiWith(oidc({ jwksUrl: `http://127.0.0.1:${port}/jwks` }));
      const token = await accessTokenFromIdp(idp, { portalUrl: api.url, subject: 'user-maria' });
      const started = Date.now();
      const res = await whoAmI(hanging, token);
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('the portal’s sign-in settings', () => {
  it('name the issuer and the public client, with no secret', async () => {
    const res = await fetch(`${api.url}/v1/session/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      oidc: { issuer, clientId: IDP_CLIENT_ID, scope: 'openid profile api' },
      tokenSignIn: true,
    });
  });
});
