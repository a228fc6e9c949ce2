import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Principal } from '../../api/http/auth';
import type { Config } from '../../config';
import { freePort } from '../../scripts/infra/process';

/**
 * The development identity provider for a test file: a process of its own (oidc-provider is
 * an ES module jest cannot load) with the file's users, sending people back to the portal the
 * file runs. The API under test trusts it through `oidcConfig`.
 */
export interface TestIdp {
  issuer: string;
  clientId: string;
  audience: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
export const IDP_CLIENT_ID = 'partner-portal';
export const IDP_AUDIENCE = 'urn:partner-platform:api';
/** The password of every development user (said on the provider's login page). */
export const IDP_PASSWORD = 'dev';

/**
 * The configuration of an API that trusts the provider at `issuer`, and whose portal may call
 * it from the browser (CSP connect-src).
 */
export function withIdp(config: Config, issuer: string): Config {
  return {
    ...config,
    oidc: {
      issuer,
      audience: IDP_AUDIENCE,
      clientId: IDP_CLIENT_ID,
      scope: 'openid profile api',
      jwksTimeoutMs: 2_000,
      claims: { role: 'role', organization: 'org', name: 'name' },
    },
    http: { ...config.http, connectSources: [...config.http.connectSources, issuer] },
  };
}

/** A free port for the provider, so the API can be configured before either starts. */
export async function reserveIssuer(): Promise<string> {
  return `http://localhost:${await freePort()}`;
}

export async function startIdp(options: {
  issuer: string;
  accounts: Principal[];
  /** The portal's address: the provider sends people back to `<portalUrl>/`. */
  portalUrl: string;
}): Promise<TestIdp> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/dev-idp.ts', JSON.stringify(options.accounts), options.portalUrl],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', OIDC_ISSUER: options.issuer },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${options.issuer}/.well-known/openid-configuration`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the development identity provider did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    issuer: options.issuer,
    clientId: IDP_CLIENT_ID,
    audience: IDP_AUDIENCE,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Signs a user in through the provider the way the portal's browser does — authorization
 * request with PKCE, the login form, the code exchanged at the token endpoint — and returns
 * the access token the API receives.
 */
export async function accessTokenFromIdp(
  idp: TestIdp,
  options: { portalUrl: string; subject: string; password?: string },
): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  const redirectUri = `${options.portalUrl}/`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${idp.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: idp.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile api',
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  let res = await send(authorize.toString());
  let location = res.headers.get('location') ?? '';
  const login = new URL(location, idp.issuer);
  res = await send(`${login.toString()}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      user: options.subject,
      password: options.password ?? IDP_PASSWORD,
    }).toString(),
  });
  if (res.status === 401) throw new Error('the identity provider refused the user or password');
  // Back to the authorization endpoint, then to the portal with the code.
  for (let hop = 0; hop < 5; hop++) {
    location = res.headers.get('location') ?? '';
    if (!location) throw new Error(`no redirect from the identity provider (${res.status})`);
    if (location.startsWith(redirectUri)) break;
    res = await send(new URL(location, idp.issuer).toString());
  }
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`the identity provider sent no code: ${location}`);
  const token = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: idp.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await token.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no access token: ${JSON.stringify(body)}`);
  return body.access_token;
}
