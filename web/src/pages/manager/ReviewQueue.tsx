import { Link } from 'react-router';
import { useEffect, useState } from 'react';
import { QUEUE_KINDS, type QueueItem, type QueueKind } from '../../api';
import { useCodes, useT } from '../../i18n';
import { Card, ErrorBox, Loading, useGet } from '../../ui';

/** Where a queue item is reviewed, under the console's area ("manager" or "presale"). */
export function queueItemPath(area: string, item: Pick<QueueItem, 'kind' | 'id'>): string {
  switch (item.kind) {
    case 'application':
      return `/${area}/applications/${item.id}`;
    case 'deal':
    case 'project':
      return `/${area}/registrations/${item.id}`;
    case 'specialization':
      return `/${area}/specializations/${item.id}`;
    case 'presale':
      return `/${area}/presales/${item.id}`;
  }
}

/** Whether the window is phone-narrow: the queue then stacks each item instead of a table row. */
export function useNarrow(maxWidth = 600): boolean {
  const query = `(max-width: ${maxWidth}px)`;
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setNarrow(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return narrow;
}

/**
 * An item as the API gives it. Before the queue named kinds it listed applications only,
 * by applicationId and company: those are read as applications.
 */
function normalize(raw: QueueItem): QueueItem {
  if (raw.kind) return raw;
  return {
    ...raw,
    kind: 'application',
    id: raw.applicationId ?? '',
    title: raw.companyName ?? raw.organizationId ?? '',
    partnerName: raw.companyName ?? null,
    status: 'in_review',
  };
}

/**
 * Everything waiting for a decision — applications, deals, projects, specializations and
 * presale requests — in one table, nearest deadline first, with the business days left.
 */
export function ReviewQueue({
  area,
  kinds = QUEUE_KINDS,
  title,
}: {
  area: string;
  kinds?: readonly QueueKind[];
  title: string;
}) {
  const t = useT();
  const codes = useCodes();
  const [kind, setKind] = useState<QueueKind | ''>(kinds.length === 1 ? kinds[0]! : '');
  const path = kind ? `/v1/review-queue?kind=${kind}` : '/v1/review-queue';
  const queue = useGet<{ items: QueueItem[] }>(path, { keepWhileLoading: true });
  const showKind = kinds.length > 1;
  const narrow = useNarrow();
  const items = (queue.data?.items ?? [])
    .map(normalize)
    .filter((item) => (kind ? item.kind === kind : kinds.includes(item.kind)));
  return (
    <Card title={title} testId="review-queue">
      {kinds.length > 1 && (
        <div className="row" role="group" aria-label={t('kind')} data-testid="queue-filter">
          {(['', ...kinds] as const).map((k) => (
            <button
              key={k || 'all'}
              className={kind === k ? 'primary' : ''}
              aria-pressed={kind === k}
              data-kind={k || 'all'}
              onClick={() => setKind(k)}
            >
              {k ? t(`kind_${k}`) : t('allKinds')}
            </button>
          ))}
        </div>
      )}
      {queue.loading && !queue.data && <Loading />}
      <ErrorBox error={queue.error} />
      {queue.data && items.length === 0 && <p className="muted">{t('noData')}</p>}
      {items.length > 0 && narrow && (
        <ul className="plain" data-testid="queue-list">
          {items.map((item) => (
            <li
              key={`${item.kind}-${item.id}`}
              data-testid="queue-row"
              data-kind={item.kind}
              style={{
                borderLeft: `4px solid ${item.overdue ? 'var(--danger)' : item.businessDaysLeft <= 1 ? '#e0a800' : '#dde2ea'}`,
                padding: '0.4rem 0.6rem',
                background: item.overdue
                  ? '#fdf1f1'
                  : item.businessDaysLeft <= 1
                    ? '#fff8e6'
                    : undefined,
              }}
            >
              <div className="row" style={{ marginBottom: '0.25rem', alignItems: 'center' }}>
                {showKind && (
                  <span className={`badge kind-${item.kind}`} style={{ marginLeft: 0 }}>
                    {t(`kind_${item.kind}`)}
                  </span>
                )}
                <span className="muted">{t(`st_${item.status}`)}</span>
              </div>
              <div className="strong" style={{ overflowWrap: 'anywhere' }}>
                {item.title}
              </div>
              <div className="muted">{item.partnerName ?? item.companyInn ?? '—'}</div>
              {item.kind === 'presale' && item.assignee && (
                <div className="muted">
                  {t('assignee')}: {item.assignee}
                </div>
              )}
              <div className="row" style={{ margin: '0.25rem 0 0', alignItems: 'center' }}>
                <span>
                  {t('reviewBy')} {item.lastReviewDay} ·{' '}
                  {item.overdue ? (
                    <span className="badge danger" style={{ marginLeft: 0 }}>
                      {t('overdue')}
                    </span>
                  ) : (
                    `${t('businessDaysLeft')}: ${item.businessDaysLeft}`
                  )}
                  {item.escalated && <span className="badge">{t('escalated')}</span>}
                </span>
                <span className="spacer" style={{ flex: 1 }} />
                <Link to={queueItemPath(area, item)} data-testid="queue-open">
                  {t('open')} →
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && !narrow && (
        <table className="queue">
          <thead>
            <tr>
              {showKind && <th>{t('kind')}</th>}
              <th>{t('subject')}</th>
              <th>{t('partnerName')}</th>
              <th>{t('status')}</th>
              <th>{t('reviewBy')}</th>
              <th className="num">{t('businessDaysLeft')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={`${item.kind}-${item.id}`}
                className={item.overdue ? 'overdue' : item.businessDaysLeft <= 1 ? 'due-soon' : ''}
                data-testid="queue-row"
                data-kind={item.kind}
              >
                {showKind && (
                  <td>
                    <span className={`badge kind-${item.kind}`}>{t(`kind_${item.kind}`)}</span>
                  </td>
                )}
                <td>
                  {item.title}
                  {item.kind === 'application' && item.companyInn && (
                    <div className="muted">
                      {item.companyInn}
                      {item.programs?.length
                        ? ` · ${item.programs.map((p) => codes.word('program', p)).join(', ')}`
                        : ''}
                    </div>
                  )}
                  {item.kind === 'presale' && item.assignee && (
                    <div className="muted">
                      {t('assignee')}: {item.assignee}
                    </div>
                  )}
                </td>
                <td>{item.partnerName ?? '—'}</td>
                <td>{t(`st_${item.status}`)}</td>
                <td style={{ whiteSpace: 'nowrap' }}>{item.lastReviewDay}</td>
                <td className="num">
                  {item.overdue ? (
                    <span className="badge danger">{t('overdue')}</span>
                  ) : (
                    item.businessDaysLeft
                  )}
                  {item.escalated && <span className="badge">{t('escalated')}</span>}
                </td>
                <td>
                  <Link to={queueItemPath(area, item)} data-testid="queue-open">
                    {t('open')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
