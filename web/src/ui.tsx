import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import { ApiError, type AuditEntry, type FieldProblem } from './api';
import { useT } from './i18n';

/** Loads data from the API for a page; `reload` fetches it again after a change. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setLoading(true);
    run()
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, String(e))))
      .finally(() => setLoading(false));
  }, [run]);
  useEffect(reload, [reload]);
  return { data, error, loading, reload };
}

/** Runs a form's action, keeping its error (with field problems) for display. */
export function useAction() {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await action();
      setDone(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, done, run };
}

export function ErrorBox({ error }: { error: ApiError | null }) {
  const t = useT();
  if (!error) return null;
  const message =
    error.status === 403
      ? t('forbidden')
      : error.status === 404
        ? `${t('notFound')} ${error.message}`
        : error.message;
  return (
    <div className="error" role="alert">
      <div>{message}</div>
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f: FieldProblem) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return <p className="muted">{t('loading')}</p>;
}

export function Card({
  title,
  children,
  testId,
  wide,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  /** Across the whole row of a grid (a chart, a wide table). */
  wide?: boolean;
}) {
  const ref = useRef<HTMLElement>(null);
  const headingId = useId();
  const scrolls = useScrollsSideways(ref);
  // A card whose content is wider than the screen scrolls sideways; it then takes the
  // keyboard focus (named by its title) so the hidden part can be reached without a mouse.
  return (
    <section
      ref={ref}
      className={wide ? 'card wide' : 'card'}
      data-testid={testId}
      tabIndex={scrolls ? 0 : undefined}
      aria-labelledby={scrolls ? headingId : undefined}
    >
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A table or chart that may be wider than a phone's screen: it scrolls sideways inside its
 * card, and while it does it takes the keyboard focus, named by the label, so the hidden
 * columns can be reached without a mouse.
 */
export function ScrollArea({
  label,
  className = 'table-scroll',
  testId,
  children,
}: {
  label: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const scrolls = useScrollsSideways(ref);
  return (
    <div
      ref={ref}
      className={className}
      data-testid={testId}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'region' : undefined}
      aria-label={scrolls ? label : undefined}
    >
      {children}
    </div>
  );
}

/** Whether the element's content is wider than the element, checked after each render and resize. */
export function useScrollsSideways(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (element) setScrolls(element.scrollWidth > element.clientWidth);
  });
  useEffect(() => {
    const check = () => {
      const element = ref.current;
      if (element) setScrolls(element.scrollWidth > element.clientWidth);
    };
    window.addEventListener('resize', check);
    return () => window.removeEventListener('resize', check);
  }, [ref]);
  return scrolls;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : '—';
}

/** An application's audit trail: when, who, what, from which status to which. */
export function HistoryTable({ history }: { history: AuditEntry[] }) {
  const t = useT();
  return (
    <Card title={t('history')}>
      {history.length === 0 && <EmptyState>{t('noData')}</EmptyState>}
      <table>
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td>{formatDateTime(h.at)}</td>
              <td>{h.actor}</td>
              <td>{h.action}</td>
              <td>
                {h.from ?? '—'} → {h.to}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/**
 * A question that must be answered before an action that cannot be taken back: a modal
 * dialog (focus moves into it, Escape or "Back" closes it, the page behind is inert).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        // Escape: close through the page's state, so it can open again.
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="row end">
        <button type="button" onClick={onCancel} autoFocus>
          {t('back')}
        </button>
        <button
          type="button"
          className={danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** What a list says when it has nothing to show yet. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="muted empty" data-testid="empty">
      {children}
    </p>
  );
}
