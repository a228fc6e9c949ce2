import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { api, session, type Principal, type Role } from './api';
import { signOut, startSignIn, type SignInConfig } from './auth';
import { changeLanguage, useLanguage, useT, type Language } from './i18n';
import { NotFound, type NavItem } from './routing';
import { SignIn } from './pages/SignIn';
import { PartnerPortal, partnerNav } from './pages/partner/PartnerPortal';
import { ManagerConsole, managerNav } from './pages/manager/ManagerConsole';
import { FinanceConsole, financeNav } from './pages/finance/FinanceConsole';
import { PresaleConsole, presaleNav } from './pages/presale/PresaleConsole';

/** The portal: who is signed in decides which console opens. */
export function App() {
  const language = useLanguage();
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [checked, setChecked] = useState(false);
  const [signInConfig, setSignInConfig] = useState<SignInConfig | null>(null);
  const navigate = useNavigate();
  const queries = useQueryClient();

  // The identity provider sends the browser back here after sign-in; a reload signs in again
  // through its session. Until then nothing shows (no flash of the sign-in page).
  useEffect(() => {
    let cancelled = false;
    const start = async () => {
      const { config, resumed } = await startSignIn();
      if (cancelled) return;
      setSignInConfig(config);
      if (resumed === 'redirecting') return;
      if (resumed === 'signed-in') {
        try {
          const p = await api.get<Principal>('/v1/session');
          if (cancelled) return;
          setPrincipal(p);
        } catch {
          session.signOut();
        }
      }
      setChecked(true);
    };
    void start();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <>
      <Shell
        principal={principal}
        language={language}
        onLanguage={changeLanguage}
        onSignOut={() => {
          // Nothing loaded for this person stays in the cache for whoever signs in next.
          queries.clear();
          setPrincipal(null);
          void navigate('/');
          // After a sign-in through the identity provider, its session ends too.
          void signOut();
        }}
      >
        {!checked ? null : principal ? (
          <Console principal={principal} />
        ) : (
          <SignIn
            config={signInConfig ?? { oidc: null, tokenSignIn: false }}
            onSignedIn={(p) => {
              queries.removeQueries();
              setPrincipal(p);
              void navigate(`/${p.role}`);
            }}
          />
        )}
      </Shell>
    </>
  );
}

const NAVS: Partial<Record<Role, NavItem[]>> = {
  partner: partnerNav,
  manager: managerNav,
  finance: financeNav,
  presale: presaleNav,
};

const ROLES: readonly string[] = [
  'partner',
  'manager',
  'finance',
  'presale',
  'billing-system',
] satisfies Role[];

/** Each role has its own area ("#/partner/…"); "#/" opens it, another role's area is refused. */
function Console({ principal }: { principal: Principal }) {
  const area = (() => {
    switch (principal.role) {
      case 'partner':
        return <PartnerPortal />;
      case 'manager':
        return <ManagerConsole principal={principal} />;
      case 'finance':
        return <FinanceConsole />;
      case 'presale':
        return <PresaleConsole principal={principal} />;
      default:
        return null;
    }
  })();
  if (!area) return <Forbidden />;
  const home = NAVS[principal.role]?.[0] ?? { path: principal.role, label: 'overview' };
  return (
    <Routes>
      <Route index element={<Navigate to={`/${principal.role}`} replace />} />
      <Route path={`${principal.role}/*`} element={area} />
      <Route path=":area/*" element={<OtherArea home={home} />} />
    </Routes>
  );
}

/** A path outside the signed-in role's area: another role's pages are refused, others unknown. */
function OtherArea({ home }: { home: NavItem }) {
  const { area = '' } = useParams();
  return ROLES.includes(area) ? <Forbidden /> : <NotFound home={home} />;
}

function Forbidden() {
  const t = useT();
  return (
    <p className="error" role="alert" data-testid="forbidden">
      {t('forbidden')}
    </p>
  );
}

function Shell(props: {
  principal: Principal | null;
  language: Language;
  onLanguage: (l: Language) => void;
  onSignOut: () => void;
  children: React.ReactNode;
}) {
  const t = useT();
  const nav = (props.principal && NAVS[props.principal.role]) ?? [];
  return (
    <div className="shell">
      <header>
        <strong>{t('appName')}</strong>
        <nav>
          {nav.map((item) => (
            // The area's home is current only on itself; a section also on the pages inside it.
            <NavLink key={item.path} to={`/${item.path}`} end={!item.path.includes('/')}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <select
          aria-label={t('language')}
          value={props.language}
          onChange={(e) => props.onLanguage(e.target.value as Language)}
        >
          <option value="ru">Русский</option>
          <option value="en">English</option>
        </select>
        {props.principal && (
          <>
            <span className="who" data-testid="who">
              {props.principal.name ?? props.principal.subject}
            </span>
            <button onClick={props.onSignOut}>{t('signOut')}</button>
          </>
        )}
      </header>
      <main>{props.children}</main>
      <footer>
        <a href="/docs">API (Swagger)</a> · <a href="/metrics">Metrics</a> ·{' '}
        <a href="/healthz">Health</a>
      </footer>
    </div>
  );
}
