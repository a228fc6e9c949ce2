import type { PortalNotification } from '../../api';
import { useT } from '../../i18n';
import { Card, EmptyState, ErrorBox, Loading, formatDateTime, useGet } from '../../ui';
import { moscowDateTime } from './forms';

/**
 * The messages sent to the partner's organization, newest first: onboarding steps, notice,
 * exit and revocation. The API keeps no read state, so the page lists them all.
 */
export function NotificationsPage() {
  const t = useT();
  const notifications = useGet<{ items: PortalNotification[] }>('/v1/notifications?limit=100');
  const items = notifications.data?.items ?? [];
  return (
    <Card title={t('notificationsNav')} testId="notifications">
      {notifications.loading && !notifications.data && <Loading />}
      {notifications.error && <ErrorBox error={notifications.error} />}
      {notifications.data && items.length === 0 && <EmptyState>{t('noNotifications')}</EmptyState>}
      {items.length > 0 && (
        <ul className="entries notifications">
          {items.map((n) => (
            <li key={n.id} data-testid="notification">
              <div className="entry-head">
                <strong>{n.subject}</strong>
                <span className="muted small nowrap">
                  {moscowDateTime(n.createdAt)} {t('moscowTime')}
                </span>
              </div>
              <p className="prewrap">{n.body}</p>
              <p className="muted small">
                {t('sentTo')} {n.recipient} ·{' '}
                {n.deliveredAt
                  ? `${t('delivered')} ${formatDateTime(n.deliveredAt)}`
                  : t('notDeliveredYet')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
