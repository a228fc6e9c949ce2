import { randomUUID } from 'node:crypto';
import type { Database } from '../client';
import type { Notification, Prisma, RecipientType } from '../generated/client/client';

export type { RecipientType };

export interface NewNotification {
  /** Built from business identity (e.g. `onboarding:<applicationId>:approved:applicant`). */
  idempotencyKey: string;
  recipientType: RecipientType;
  recipient: string;
  organizationId?: string | null;
  kind: string;
  subject: string;
  body: string;
  payload?: Record<string, unknown>;
}

export interface NotificationRecord {
  id: string;
  idempotencyKey: string;
  recipientType: RecipientType;
  recipient: string;
  organizationId: string | null;
  kind: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  deliveredAt: Date | null;
  deliveryAttempts: number;
  lastError: string | null;
}

/** lastError is for people reading the row, not a log: keep a huge response body out of it. */
const MAX_ERROR_LENGTH = 2000;

function toRecord(row: Notification): NotificationRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    recipientType: row.recipientType,
    recipient: row.recipient,
    organizationId: row.organizationId,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    payload: isObject(row.payload) ? row.payload : {},
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
    deliveryAttempts: row.deliveryAttempts,
    lastError: row.lastError,
  };
}

function isObject(value: Prisma.JsonValue): value is Record<string, Prisma.JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stored notifications and their webhook delivery state. Writes are idempotent by key. */
export function createNotificationRepository(db: Database) {
  return {
    /**
     * Stores the notification once per idempotency key and returns its id. A repeat (a retried
     * activity, a replayed workflow, a concurrent duplicate) returns the first row's id and
     * changes nothing: the first write wins. `INSERT … ON CONFLICT DO NOTHING` keeps concurrent
     * callers from failing on the unique index; the read that follows sees whichever row won.
     */
    async store(input: NewNotification): Promise<{ id: string; created: boolean }> {
      const { count } = await db.notification.createMany({
        data: {
          id: randomUUID(),
          idempotencyKey: input.idempotencyKey,
          recipientType: input.recipientType,
          recipient: input.recipient,
          organizationId: input.organizationId ?? null,
          kind: input.kind,
          subject: input.subject,
          body: input.body,
          payload: (input.payload ?? {}) as Prisma.InputJsonObject,
        },
        skipDuplicates: true,
      });
      const row = await db.notification.findUniqueOrThrow({
        where: { idempotencyKey: input.idempotencyKey },
        select: { id: true },
      });
      return { id: row.id, created: count === 1 };
    },

    async findById(id: string): Promise<NotificationRecord | null> {
      const row = await db.notification.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async findByKey(idempotencyKey: string): Promise<NotificationRecord | null> {
      const row = await db.notification.findUnique({ where: { idempotencyKey } });
      return row ? toRecord(row) : null;
    },

    /**
     * Records the successful attempt. The first delivery time is kept: a redelivery (the
     * activity retried after the post succeeded but before this write) does not move it.
     * Returns whether this call marked the row.
     */
    async markDelivered(id: string, at: Date): Promise<boolean> {
      const { count } = await db.notification.updateMany({
        where: { id, deliveredAt: null },
        data: { deliveredAt: at, deliveryAttempts: { increment: 1 } },
      });
      return count === 1;
    },

    /** Counts a failed attempt and keeps its reason, so stuck deliveries are visible. */
    async recordFailure(id: string, error: string): Promise<void> {
      await db.notification.updateMany({
        where: { id },
        data: {
          deliveryAttempts: { increment: 1 },
          lastError: error.slice(0, MAX_ERROR_LENGTH),
        },
      });
    },

    /** Newest first. */
    async list(filter: {
      recipientType?: RecipientType;
      recipient?: string;
      organizationId?: string;
      limit: number;
    }): Promise<NotificationRecord[]> {
      const rows = await db.notification.findMany({
        where: {
          recipientType: filter.recipientType,
          recipient: filter.recipient,
          organizationId: filter.organizationId,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
      });
      return rows.map(toRecord);
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
