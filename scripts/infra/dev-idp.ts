import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Principal } from '../../api/http/auth';

/**
 * The development identity provider: an OpenID Connect issuer (the maintained `oidc-provider`
 * package) that `npm start` and the browser tests run on this machine, so the portal signs in
 * the way it does in production — authorization code with PKCE, an RS256 access token for the
 * API's audience — without an account anywhere. Its users are the development identities; its
 * login page lists them and asks for the one development password. Never run in production.
 */
export interface DevIdpOptions {
  /** The issuer URL (http://localhost:<port>); the provider listens on its port. */
  issuer: string;
  port: number;
  /** The portal's client id and where it may send people back after sign-in and sign-out. */
  clientId: string;
  redirectUris: string[];
  /** The API's audience: access tokens are JWTs for it, signed RS256. */
  audience: string;
  /** Scope of the API on the provider (requested by the portal beside openid and profile). */
  apiScope: string;
  accounts: Principal[];
  /** Where the signing keys live between starts (generated on the first one). */
  keysFile: string;
  /** Lifetime of an access token, in seconds. */
  accessTokenSeconds?: number;
}

export interface RunningDevIdp {
  issuer: string;
  stop(): Promise<void>;
}

/** Said on the login page: the development users all share it. */
export const DEV_IDP_PASSWORD = 'dev';

interface StoredKeys {
  /** Private RSA keys as JWKs: the first signs, all are published. */
  keys: Record<string, unknown>[];
  /** Keys that sign the provider's cookies. */
  cookieKeys: string[];
}

/** The signing keys of this clone, made once and kept in .local (never committed). */
export function loadOrCreateKeys(file: string): StoredKeys {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredKeys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const stored: StoredKeys = {
    keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }],
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole under a temporary name, so two starts at once never read half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredKeys;
}

/** Claims of an account, in the ID token and the access token alike. */
function accountClaims(account: Principal): Record<string, string | undefined> {
  return {
    sub: account.subject,
    name: account.name,
    role: account.role,
    org: account.organizationId,
  };
}

// oidc-provider's types are not shipped; the few shapes used here are written out.
interface Interaction {
  uid: string;
  prompt: { name: string };
  params: Record<string, unknown>;
}
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => GrantInstance;
}
interface GrantInstance {
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface OidcContext {
  host: string;
  body: string;
  type: string;
  oidc: {
    client?: { clientId: string };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: { Grant: { find(id: string): Promise<unknown> } };
  };
}

export async function startDevIdp(options: DevIdpOptions): Promise<RunningDevIdp> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The development identity provider never runs in production');
  }
  // oidc-provider is an ES module; Node loads it through require (no top-level await in it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Provider } = require('oidc-provider') as {
    Provider: new (issuer: string, configuration: object) => ProviderInstance;
  };
  const accounts = new Map(options.accounts.map((a) => [a.subject, a]));
  const stored = loadOrCreateKeys(options.keysFile);
  const origins = new Set(options.redirectUris.map((uri) => new URL(uri).origin));
  const resourceServer = {
    scope: options.apiScope,
    audience: options.audience,
    accessTokenTTL: options.accessTokenSeconds ?? 3600,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };

  const provider = new Provider(options.issuer, {
    clients: [
      {
        client_id: options.clientId,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.redirectUris,
      },
    ],
    pkce: { required: () => true, methods: ['S256'] },
    jwks: { keys: stored.keys },
    cookies: { keys: stored.cookieKeys },
    claims: { openid: ['sub'], profile: ['name', 'role', 'org'] },
    scopes: ['openid', 'profile', options.apiScope],
    ttl: {
      AccessToken: resourceServer.accessTokenTTL,
      IdToken: 3600,
      Interaction: 3600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => Promise.resolve(accountClaims(account)) };
    },
    // The portal's access token carries the role and organization for the API.
    extraTokenClaims: (_ctx: unknown, token: { kind: string; accountId?: string }) => {
      const account = token.accountId ? accounts.get(token.accountId) : undefined;
      if (token.kind !== 'AccessToken' || !account) return undefined;
      const { role, org, name } = accountClaims(account);
      return Promise.resolve({ role, org, name });
    },
    // The portal is the provider's own first-party client: no consent screen.
    loadExistingGrant: async (ctx: OidcContext) => {
      const client = ctx.oidc.client;
      const accountId = ctx.oidc.session?.accountId;
      if (!client || !accountId) return undefined;
      const existing =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope(`openid profile ${options.apiScope}`);
      grant.addResourceScope(options.audience, options.apiScope);
      await grant.save();
      return grant;
    },
    // The portal calls discovery and the token endpoint from the browser.
    clientBasedCORS: (_ctx: unknown, origin: string) => origins.has(origin),
    interactions: {
      url: (_ctx: unknown, interaction: Interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== options.audience) throw new Error(`unknown resource ${resource}`);
          return resourceServer;
        },
      },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    renderError: (ctx: OidcContext, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Sign-in error · Ошибка входа</h1>${Object.entries(out)
          .map(([key, value]) => `<p><strong>${escape(key)}</strong>: ${escape(String(value))}</p>`)
          .join('')}`,
      );
      return Promise.resolve();
    },
  });
  const handle = provider.callback();

  const server = http.createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url?.split('?')[0] ?? '');
    if (!match) {
      handle(req, res);
      return;
    }
    interaction(provider, accounts, req, res, match[2] === '/login').catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          page(
            'Sign-in error',
            `<h1>Sign-in error · Ошибка входа</h1><p>${escape(
              error instanceof Error ? error.message : String(error),
            )}</p><p>Go back to the portal and sign in again.</p>`,
          ),
        );
      }
    });
  });
  // Loopback only, on IPv4 and (where the machine has it) IPv6: "localhost" may be either.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const servers = [server];
  const v6 = http.createServer(server.listeners('request')[0] as http.RequestListener);
  await new Promise<void>((resolve) => {
    v6.once('error', () => resolve());
    v6.listen(options.port, '::1', () => {
      servers.push(v6);
      resolve();
    });
  });
  return {
    issuer: options.issuer,
    stop: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}

/** The login page (GET) and its form (POST): choose a user, type the development password. */
async function interaction(
  provider: ProviderInstance,
  accounts: Map<string, Principal>,
  req: IncomingMessage,
  res: ServerResponse,
  submitted: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const locales = details.params.ui_locales;
  const russian = typeof locales === 'string' && locales.startsWith('ru');
  const words = russian ? RU : EN;
  if (details.prompt.name !== 'login') {
    // Consent is granted for the first-party portal (loadExistingGrant); nothing to ask.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  let problem: string | undefined;
  if (submitted) {
    const form = new URLSearchParams(await readBody(req));
    const account = accounts.get(form.get('user') ?? '');
    if (account && form.get('password') === DEV_IDP_PASSWORD) {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.subject } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    problem = words.wrong;
  }
  const options = [...accounts.values()]
    .map(
      (a, i) =>
        `<label class="user"><input type="radio" name="user" value="${escape(a.subject)}"${
          i === 0 ? ' checked' : ''
        }> ${escape(a.name ?? a.subject)} <span class="muted">${escape(a.role)}${
          a.organizationId ? ` · ${escape(a.organizationId)}` : ''
        }</span></label>`,
    )
    .join('');
  res.writeHead(problem ? 401 : 200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
  });
  res.end(
    page(
      words.title,
      `<h1>${words.title}</h1>
      <p class="note">${words.note}</p>
      <form method="post" action="/interaction/${escape(details.uid)}/login" autocomplete="off">
        <fieldset><legend>${words.user}</legend>${options}</fieldset>
        <label for="password">${words.password}</label>
        <input id="password" name="password" type="password" required>
        ${problem ? `<p class="error" role="alert">${problem}</p>` : ''}
        <button type="submit">${words.submit}</button>
      </form>`,
      russian ? 'ru' : 'en',
    ),
  );
}

const EN = {
  title: 'Development sign-in',
  note: `This is the development identity provider: it runs only on a developer’s machine and in tests. Choose a user; every user’s password is <code>${DEV_IDP_PASSWORD}</code>.`,
  user: 'User',
  password: 'Password',
  submit: 'Sign in',
  wrong: 'Wrong user or password.',
};
const RU: typeof EN = {
  title: 'Вход для разработки',
  note: `Это поставщик удостоверений для разработки: он работает только на машине разработчика и в тестах. Выберите пользователя; пароль у всех — <code>${DEV_IDP_PASSWORD}</code>.`,
  user: 'Пользователь',
  password: 'Пароль',
  submit: 'Войти',
  wrong: 'Неверный пользователь или пароль.',
};

/** Ends the provider's session at once (the portal asked for it), with a button as fallback. */
function logoutSource(ctx: OidcContext, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Sign out',
    `<h1>Signing out · Выход</h1>${form.replace(
      '</form>',
      '<input type="hidden" name="logout" value="yes"></form>',
    )}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out · Выйти</button>
    <script>document.getElementById('op.logoutForm').submit()</script>`,
  );
  return Promise.resolve();
}

function page(title: string, body: string, language = 'en'): string {
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:24px 12px;color:#1d2430}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:20px 24px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.3em;margin-top:0}.note{background:#fff6d6;border-radius:4px;padding:8px 10px}
fieldset{border:0;padding:0;margin:0 0 12px}legend{font-weight:600;margin-bottom:6px}
.user{display:block;padding:6px 0}.muted{color:#5b6573;font-size:.9em}
label[for=password]{display:block;font-weight:600;margin-bottom:4px}
input[type=password]{width:100%;box-sizing:border-box;padding:8px;font-size:1em;margin-bottom:12px}
button{width:100%;padding:10px;font-size:1em;background:#1f5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#a11;font-weight:600}code{font-size:1.05em}
</style></head><body><main>${body}</main></body></html>`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('the form is too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
