import { ApplicationFailure } from '@temporalio/common';
import type {
  NotificationRepository,
  RecipientType,
} from '../../prisma/repositories/notification.repository';
import type { WebhookSender } from './webhook';

export interface NotificationActivityDeps {
  notifications: NotificationRepository;
  /** Absent when no webhook URL is configured: notifications are then stored only. */
  webhook?: WebhookSender;
}

export interface StoreNotificationInput {
  /** Idempotency key from business identity; the same key always means the same notification. */
  key: string;
  recipientType: RecipientType;
  recipient: string;
  organizationId?: string;
  kind: string;
  subject: string;
  body: string;
  payload?: Record<string, unknown>;
}

export interface DeliverNotificationResult {
  delivered: boolean;
  skipped?: 'no_webhook' | 'already_delivered';
}

export { NOTIFICATION_NON_RETRYABLE_ERRORS } from '../../workflows/notifications.contracts';

/** The JSON body posted to the webhook. */
export interface NotificationWebhookEvent {
  id: string;
  kind: string;
  recipientType: RecipientType;
  recipient: string;
  organizationId: string | null;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/**
 * Storing and delivering are two activities: the stored row is the record of the notification
 * and survives however long the webhook stays down, while delivery is retried on its own by
 * the activity's retry policy. Delivery is at-least-once; receivers dedupe by Idempotency-Key.
 */
export function createNotificationActivities({ notifications, webhook }: NotificationActivityDeps) {
  return {
    async storeNotification(input: StoreNotificationInput): Promise<{ notificationId: string }> {
      const { id } = await notifications.store({
        idempotencyKey: input.key,
        recipientType: input.recipientType,
        recipient: input.recipient,
        organizationId: input.organizationId,
        kind: input.kind,
        subject: input.subject,
        body: input.body,
        payload: input.payload,
      });
      return { notificationId: id };
    },

    async deliverNotification(input: {
      notificationId: string;
    }): Promise<DeliverNotificationResult> {
      const row = await notifications.findById(input.notificationId);
      if (!row) {
        // Only a bug or a wiped database gets here; retrying would not make the row appear.
        throw ApplicationFailure.nonRetryable(
          `notification ${input.notificationId} not found`,
          'NotificationNotFound',
        );
      }
      if (row.deliveredAt) return { delivered: false, skipped: 'already_delivered' };
      if (!webhook) return { delivered: false, skipped: 'no_webhook' };

      const event: NotificationWebhookEvent = {
        id: row.id,
        kind: row.kind,
        recipientType: row.recipientType,
        recipient: row.recipient,
        organizationId: row.organizationId,
        subject: row.subject,
        body: row.body,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      };
      try {
        await webhook.send({ idempotencyKey: row.idempotencyKey, event });
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        // Bookkeeping must not mask the delivery error: its type decides whether Temporal retries.
        await notifications.recordFailure(row.id, message).catch(() => undefined);
        throw error;
      }
      await notifications.markDelivered(row.id, new Date());
      return { delivered: true };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
