import type { DecisionEntry } from '../../api';
import { useT } from '../../i18n';
import type { CSSProperties } from 'react';
import { formatDateTime } from '../../ui';
import { useNarrow } from './ReviewQueue';

/**
 * A detail card's term list: the terms take at most two fifths of a narrow card, so long
 * Russian labels wrap instead of squeezing the values; long values (ids, texts) wrap too.
 */
export const detailList: CSSProperties = {
  gridTemplateColumns: 'minmax(6rem, 2fr) minmax(0, 3fr)',
  overflowWrap: 'anywhere',
};

/** Spans the whole row of a page's grid of cards (one column on a phone, several on a desk). */
export const fullRow: CSSProperties = { gridColumn: '1 / -1' };

/** Every decision on a record: who, when, from which status to which, and why. */
export function DecisionTrail({
  entries,
  title,
  testId = 'decision-trail',
}: {
  entries: DecisionEntry[];
  title?: string;
  testId?: string;
}) {
  const t = useT();
  const narrow = useNarrow();
  // Statuses are translated; anything else (a withdrawal's last day) is shown as it is.
  const status = (s: string | null) => {
    if (!s) return '—';
    const label = t(`st_${s}`);
    return label === `st_${s}` ? s : label;
  };
  return (
    <section className="card" style={fullRow} data-testid={testId}>
      <h2>{title ?? t('decisions')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('noData')}</p>
      ) : narrow ? (
        <ul className="plain">
          {entries.map((e, i) => (
            <li key={i} data-testid="decision-entry">
              <div className="muted">
                {formatDateTime(e.at)} · {e.actor}
              </div>
              <div>
                {status(e.from)} → {status(e.to)}
                {e.assignee ? ` (${e.assignee})` : ''}
              </div>
              {e.reason && <div style={{ overflowWrap: 'anywhere' }}>{e.reason}</div>}
            </li>
          ))}
        </ul>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('when')}</th>
              <th>{t('who')}</th>
              <th>{t('fromTo')}</th>
              <th>{t('why')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i} data-testid="decision-entry">
                <td>{formatDateTime(e.at)}</td>
                <td style={{ whiteSpace: 'nowrap' }}>{e.actor}</td>
                <td>
                  {status(e.from)} → {status(e.to)}
                  {e.assignee ? <div className="muted">{e.assignee}</div> : null}
                </td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
