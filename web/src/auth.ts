/**
 * Sign-in with OpenID Connect: the portal is a public client of the identity provider the API
 * names (GET /v1/session/config), using the authorization code flow with PKCE. Tokens live in
 * memory only; during the round trip to the provider only the PKCE state waits in
 * sessionStorage. A reload signs in again through the provider's session without a prompt
 * (or shows the sign-in page when that session is gone); signing out ends it.
 */
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { api, session, type Body } from './api';

export type SignInConfig = Body<'/v1/session/config', 'get'>;
type Provider = NonNullable<SignInConfig['oidc']>;

/** Set after a sign-in through the provider (not a token): a reload may sign in again silently. */
const RETURNING = 'partner-platform.oidc-signed-in';

let manager: UserManager | undefined;
let idToken: string | undefined;

function userManager(provider: Provider): UserManager {
  const home = `${window.location.origin}/`;
  manager ??= new UserManager({
    authority: provider.issuer,
    client_id: provider.clientId,
    scope: provider.scope,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'oidc.' }),
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
  });
  return manager;
}

/** What the start found: a token, a redirect to the provider under way, or nobody. */
export type Resumed = 'signed-in' | 'redirecting' | 'none';

let starting: Promise<{ config: SignInConfig; resumed: Resumed }> | undefined;

/**
 * Once per page load, before the portal renders (main.tsx), so its router starts on the page
 * the person was on: learns the provider from the API, completes a sign-in the provider sent
 * back, or, after a reload of a signed-in portal, goes to the provider again with prompt=none.
 */
export function startSignIn(): Promise<{ config: SignInConfig; resumed: Resumed }> {
  starting ??= (async () => {
    const config = await api
      .get<SignInConfig>('/v1/session/config')
      .catch((): SignInConfig => ({ oidc: null, tokenSignIn: false }));
    return { config, resumed: await resume(config) };
  })();
  return starting;
}

async function resume(config: SignInConfig): Promise<Resumed> {
  if (!config.oidc) return 'none';
  const users = userManager(config.oidc);
  const params = new URLSearchParams(window.location.search);
  const callback = params.has('state') && (params.has('code') || params.has('error'));
  if (callback) {
    // The code and state are spent: they leave the address bar and the history, and the page
    // the person was on comes back.
    let path = '';
    try {
      const user = await users.signinRedirectCallback();
      session.signIn(user.access_token);
      idToken = user.id_token;
      window.sessionStorage.setItem(RETURNING, '1');
      path = typeof user.url_state === 'string' ? user.url_state : '';
      return 'signed-in';
    } catch {
      // Refused, or the provider's session is gone (login_required): ask again.
      window.sessionStorage.removeItem(RETURNING);
      return 'none';
    } finally {
      window.history.replaceState(null, '', `${window.location.pathname}${path ? `#${path}` : ''}`);
    }
  }
  if (window.sessionStorage.getItem(RETURNING)) {
    await users.signinRedirect({ prompt: 'none', url_state: currentPath() });
    return 'redirecting';
  }
  return 'none';
}

/** The hash route being looked at ("/partner/invoices"), to come back to after sign-in. */
function currentPath(): string {
  return window.location.hash.replace(/^#/, '');
}

/** Goes to the identity provider's login page, in the portal's language. */
export async function signInWithProvider(config: SignInConfig, language: string): Promise<void> {
  if (!config.oidc) return;
  await userManager(config.oidc).signinRedirect({ ui_locales: language, url_state: currentPath() });
}

/**
 * Forgets the token; after a sign-in through the provider also ends the provider's session
 * (the browser goes there and comes back signed out). True when it navigates away.
 */
export async function signOut(): Promise<boolean> {
  session.signOut();
  window.sessionStorage.removeItem(RETURNING);
  const hint = idToken;
  idToken = undefined;
  if (!manager || !hint) return false;
  await manager.removeUser();
  await manager.signoutRedirect({ id_token_hint: hint });
  return true;
}
