import { Fragment, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useT, type MessageKey } from './i18n';

/** An entry of a console's navigation: its path (without "#/") and its label. */
export interface NavItem {
  path: string;
  label: MessageKey;
}

/** What an unknown address shows: it is not found, and the way back to the area's home. */
export function NotFound({ home }: { home: NavItem }) {
  const t = useT();
  return (
    <div className="error" role="alert" data-testid="not-found">
      <p>{t('notFound')}</p>
      <Link to={`/${home.path}`}>← {t(home.label)}</Link>
    </div>
  );
}

/**
 * Starts the page afresh when the `:id` in the address changes (one registration to its
 * renewal, say), so nothing typed on the previous one stays on the next.
 */
export function PerId({ children }: { children: ReactNode }) {
  const { id } = useParams();
  return <Fragment key={id}>{children}</Fragment>;
}

/** The `:id` of the current address (the routes that render a page declare it). */
export function useRouteId(): string {
  const { id } = useParams();
  return id ?? '';
}
