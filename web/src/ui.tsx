import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type AuditEntry, type FieldProblem } from './api';
import { formatDateTime as moscowTime, useCodes, useT } from './i18n';

/** Whatever a request failed with, as the API error the pages show (a lost connection has status 0). */
function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));
}

/** What a page reads while its data loads: TanStack Query's state in the shape the pages use. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  /** Nothing to show yet: the first load is under way. */
  loading: boolean;
  /** A load is under way, the first or a refresh. */
  fetching: boolean;
  reload: () => void;
}

export interface LoadOptions<T> {
  /** Load only once this holds (the address of the data is not known before). */
  enabled?: boolean;
  /** Keep showing the previous data while another key (next page, new filter) loads. */
  keepWhileLoading?: boolean;
  /** Load again every moment while this holds of the data (a workflow yet to record a change). */
  pollWhile?: (data: T | undefined) => boolean;
}

const POLL_MS = 400;

/**
 * Loads a page's data through the query cache. `key` names what is loaded (the API path
 * when `load` is a plain GET of it); every action run through `useAction` refreshes it.
 */
export function useLoad<T>(
  key: string,
  load: () => Promise<T>,
  options: LoadOptions<T> = {},
): Loaded<T> {
  const query = useQuery<T, ApiError>({
    queryKey: [key],
    queryFn: async () => {
      try {
        return await load();
      } catch (e) {
        throw asApiError(e);
      }
    },
    enabled: options.enabled,
    placeholderData: options.keepWhileLoading ? keepPreviousData : undefined,
    refetchInterval: options.pollWhile
      ? (query) => (options.pollWhile?.(query.state.data) ? POLL_MS : false)
      : undefined,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data,
    error: query.error,
    loading: query.isLoading,
    fetching: query.isFetching,
    reload,
  };
}

/** Loads `GET path` through the query cache; the path is the cache key. */
export function useGet<T>(path: string, options: LoadOptions<T> = {}): Loaded<T> {
  return useLoad<T>(path, () => api.get<T>(path), options);
}

/**
 * Runs a form's action as a mutation, keeping its error (with field problems) for display.
 * Once it has run, refused or not, every loaded query is fetched again before the action
 * counts as finished, so each page shows the state after it (a refusal often means the
 * state moved on); `refresh: false` is for actions that change nothing (a download).
 */
export function useAction(options: { refresh?: boolean } = {}) {
  const client = useQueryClient();
  const refresh = options.refresh ?? true;
  const mutation = useMutation<unknown, ApiError, () => Promise<unknown>>({
    mutationFn: async (action) => {
      try {
        return await action();
      } catch (e) {
        throw asApiError(e);
      }
    },
    onSettled: () => (refresh ? client.invalidateQueries() : undefined),
  });
  const { mutateAsync } = mutation;
  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<void> => {
      try {
        await mutateAsync(action);
      } catch {
        // kept in `error` for the form to show
      }
    },
    [mutateAsync],
  );
  return { error: mutation.error, busy: mutation.isPending, done: mutation.isSuccess, run };
}

/**
 * A refusal in the user's language: the problem's code translated with its parameters (or
 * the generic message of its HTTP status), and each field problem under the field's label.
 */
export function ErrorBox({ error }: { error: ApiError | null }) {
  const codes = useCodes();
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <div>{codes.problem(error)}</div>
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f: FieldProblem) => (
            <li key={f.field} data-testid="field-problem">
              {codes.labelledFieldProblem(f)}
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

/** A moment as Moscow time in the current language, labelled ("30.11.2026, 14:05 МСК"). */
export function formatDateTime(iso: string | null | undefined): string {
  return moscowTime(iso);
}

/** An application's audit trail: when, who, what, from which status to which. */
export function HistoryTable({ history }: { history: AuditEntry[] }) {
  const t = useT();
  const codes = useCodes();
  return (
    <Card title={t('history')}>
      {history.length === 0 && <EmptyState>{t('noData')}</EmptyState>}
      <table>
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td>{formatDateTime(h.at)}</td>
              <td>{h.actor}</td>
              <td>{codes.auditAction(h.action)}</td>
              <td>
                {codes.word('application', h.from)} → {codes.word('application', h.to)}
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
