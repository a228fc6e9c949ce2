import type { DecisionEntry } from '../../api';
import { useT } from '../../i18n';
import { Card, formatDateTime } from '../../ui';

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
  // Statuses are translated; anything else (a withdrawal's last day) is shown as it is.
  const status = (s: string | null) => {
    if (!s) return '—';
    const label = t(`st_${s}`);
    return label === `st_${s}` ? s : label;
  };
  return (
    <Card title={title ?? t('decisions')} testId={testId}>
      {entries.length === 0 ? (
        <p className="muted">{t('noData')}</p>
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
                <td>{e.actor}</td>
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
    </Card>
  );
}
