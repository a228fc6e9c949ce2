import { useEffect, useState } from 'react';
import { api, session, type Identity, type Principal } from '../api';
import { useT } from '../i18n';
import { Card, ErrorBox, Field, useAction } from '../ui';

/**
 * Sign-in with a bearer token (production: the identity provider issues it). In development
 * the API lists development identities with fresh tokens; the list is absent in production.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (p: Principal) => void }) {
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
    <div className="grid">
      <Card title={t('signIn')}>
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
            {t('signIn')}
          </button>
        </form>
        <ErrorBox error={action.error} />
      </Card>
      {identities.length > 0 && (
        <Card title={t('devIdentities')}>
          <p className="muted">{t('devIdentitiesHelp')}</p>
          <ul className="plain">
            {identities.map((identity) => (
              <li key={identity.subject}>
                <button onClick={() => void signInWith(identity.token)}>
                  {identity.name ?? identity.subject}
                </button>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
