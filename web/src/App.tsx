import { useEffect, useState } from 'react';
import { api, session, type Principal, type Role } from './api';
import { LanguageContext, initialLanguage, saveLanguage, useT, type Language } from './i18n';
import { navigate, useRoute } from './router';
import { SignIn } from './pages/SignIn';
import { PartnerPortal, partnerNav } from './pages/partner/PartnerPortal';
import { ManagerConsole, managerNav } from './pages/manager/ManagerConsole';
import { FinanceConsole, financeNav } from './pages/finance/FinanceConsole';
import { PresaleConsole, presaleNav } from './pages/presale/PresaleConsole';

/** The portal: who is signed in decides which console opens. */
export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    if (!session.token()) {
      setChecked(true);
      return;
    }
    api
      .get<Principal>('/v1/session')
      .then(setPrincipal)
      .catch(() => session.signOut())
      .finally(() => setChecked(true));
  }, []);

  const changeLanguage = (next: Language) => {
    saveLanguage(next);
    setLanguage(next);
    document.documentElement.lang = next;
  };

  return (
    <LanguageContext.Provider value={language}>
      <Shell
        principal={principal}
        language={language}
        onLanguage={changeLanguage}
        onSignOut={() => {
          session.signOut();
          setPrincipal(null);
          navigate('');
        }}
      >
        {!checked ? null : principal ? (
          <Console principal={principal} />
        ) : (
          <SignIn
            onSignedIn={(p) => {
              setPrincipal(p);
              navigate(p.role);
            }}
          />
        )}
      </Shell>
    </LanguageContext.Provider>
  );
}

function Console({ principal }: { principal: Principal }) {
  const route = useRoute();
  const t = useT();
  const [area, ...rest] = route;
  // Each role has its own area; another role's pages are not offered.
  if (area && area !== principal.role) {
    return (
      <p className="error" role="alert" data-testid="forbidden">
        {t('forbidden')}
      </p>
    );
  }
  switch (principal.role) {
    case 'partner':
      return <PartnerPortal principal={principal} route={rest} />;
    case 'manager':
      return <ManagerConsole route={rest} principal={principal} />;
    case 'finance':
      return <FinanceConsole route={rest} />;
    case 'presale':
      return <PresaleConsole route={rest} principal={principal} />;
    default:
      return <p className="error">{t('forbidden')}</p>;
  }
}

function Shell(props: {
  principal: Principal | null;
  language: Language;
  onLanguage: (l: Language) => void;
  onSignOut: () => void;
  children: React.ReactNode;
}) {
  const t = useT();
  const route = useRoute();
  const navs: Partial<Record<Role, { path: string; label: string }[]>> = {
    partner: partnerNav,
    manager: managerNav,
    finance: financeNav,
    presale: presaleNav,
  };
  const nav = (props.principal && navs[props.principal.role]) ?? [];
  const current = route.slice(0, 2).join('/');
  return (
    <div className="shell">
      <header>
        <strong>{t('appName')}</strong>
        <nav>
          {nav.map((item) => (
            <a
              key={item.path}
              href={`#/${item.path}`}
              className={current === item.path ? 'active' : ''}
            >
              {t(item.label)}
            </a>
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
