import { useEffect, useState } from 'react';
import { api, session, type Identity, type Principal } from '../api';
import { signInWithProvider, type SignInConfig } from '../auth';
import { useLanguage, useT } from '../i18n';
import { Card, ErrorBox, Field, useAction } from '../ui';

/**
 * The sign-in page: "Sign in" goes to the identity provider (OpenID Connect). In development
 * and tests a developer may also paste a bearer token (`npm run token`) or pick a development
 * identity; production has neither.
 */
export function SignIn({
  config,
  onSignedIn,
}: {
  config: SignInConfig;
  onSignedIn: (p: Principal) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const [redirecting, setRedirecting] = useState(false);

  return (
    <div className="grid">
      <Card title={t('signIn')}>
        {config.oidc ? (
          <>
            <p>{t('signInHelp')}</p>
            <button
              type="button"
              className="primary"
              data-testid="sign-in"
              disabled={redirecting}
              onClick={() => {
                setRedirecting(true);
                signInWithProvider(config, language).catch(() => setRedirecting(false));
              }}
            >
              {t('signInWithProvider')}
            </button>
          </>
        ) : (
          <p className="muted" data-testid="sign-in-unconfigured">
            {t('signInUnconfigured')}
          </p>
        )}
      </Card>
      {config.tokenSignIn && <TokenSignIn onSignedIn={onSignedIn} />}
    </div>
  );
}

/** Development only: sign in with a pasted token or as a development identity. */
function TokenSignIn({ onSignedIn }: { onSignedIn: (p: Principal) => void }) {
  const t = useT();
  const [token, setToken] = useState('');
  const [identities, setIdentities] = useState<Identity[]>([]);
  const action = useAction({ refresh: false });

  useEffect(() => {
    api
      .get<{ items: Identity[] }>('/v1/dev/identities')
      .then((r) => setIdentities(r.items))
      .catch(() => setIdentities([]));
  }, []);

  const signInWith = (value: string) =>
    action.run(async () => {
      session.signIn(value.trim());
      try {
        onSignedIn(await api.get<Principal>('/v1/session'));
      } catch (e) {
        session.signOut();
        throw e;
      }
    });

  return (
    <Card title={t('developerSignIn')}>
      <details data-testid="token-sign-in">
        <summary>{t('developerSignInHelp')}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void signInWith(token);
          }}
        >
          <Field label={t('token')}>
            <textarea
              name="token"
              rows={4}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder="eyJhbGciOi…"
            />
          </Field>
          <p className="muted">{t('tokenHelp')}</p>
          <button type="submit" disabled={action.busy || !token.trim()}>
            {t('signInWithToken')}
          </button>
        </form>
        <ErrorBox error={action.error} />
        {identities.length > 0 && (
          <>
            <h3>{t('devIdentities')}</h3>
            <p className="muted">{t('devIdentitiesHelp')}</p>
            <ul className="plain">
              {identities.map((identity) => (
                <li key={identity.subject}>
                  <button type="button" onClick={() => void signInWith(identity.token)}>
                    {identity.name ?? identity.subject}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </details>
    </Card>
  );
}
