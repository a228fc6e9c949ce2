import { z } from 'zod';
import type { NotificationRepository } from '../../../prisma/repositories/notification.repository';
import { defineRoute, type AnyRoute } from '../../http/route';

const notificationList = z.object({
  items: z.array(
    z.object({
      id: z.guid(),
      kind: z.string(),
      recipientType: z.enum(['applicant', 'manager', 'supervisor', 'partner']),
      recipient: z.string(),
      organizationId: z.string().nullable(),
      subject: z.string(),
      body: z.string(),
      createdAt: z.iso.datetime(),
      deliveredAt: z.iso.datetime().nullable(),
    }),
  ),
});

/**
 * Stored notifications: a partner sees the messages sent to its organization, a manager
 * those sent to the manager team and the supervisors.
 */
export function notificationRoutes(notifications: NotificationRepository): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/notifications',
      operationId: 'listNotifications',
      summary: 'Notifications addressed to you, newest first',
      tags: ['Notifications'],
      roles: ['partner', 'manager'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      responses: { 200: { description: 'Notifications', schema: notificationList } },
      handler: async ({ principal, query }) => {
        const rows =
          principal.role === 'partner'
            ? [
                // As an applicant (onboarding) and as a partner (notice, exit, revocation).
                ...(await notifications.list({
                  organizationId: principal.organizationId,
                  recipientType: 'applicant',
                  limit: query.limit,
                })),
                ...(await notifications.list({
                  organizationId: principal.organizationId,
                  recipientType: 'partner',
                  limit: query.limit,
                })),
              ]
                .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
                .slice(0, query.limit)
            : [
                ...(await notifications.list({ recipientType: 'manager', limit: query.limit })),
                ...(await notifications.list({ recipientType: 'supervisor', limit: query.limit })),
              ]
                .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
                .slice(0, query.limit);
        return {
          status: 200,
          body: {
            items: rows.map((n) => ({
              id: n.id,
              kind: n.kind,
              recipientType: n.recipientType,
              recipient: n.recipient,
              organizationId: n.organizationId,
              subject: n.subject,
              body: n.body,
              createdAt: n.createdAt.toISOString(),
              deliveredAt: n.deliveredAt?.toISOString() ?? null,
            })),
          },
        };
      },
    }),
  ];
}
