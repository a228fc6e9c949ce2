import { defineRoute, type AnyRoute } from '../../http/route';
import { reviewQueueQuery, reviewQueueView } from './review-queue.schemas';
import type { ReviewQueueService } from './review-queue.service';

/** The manager's one review queue across every kind of record waiting for a decision. */
export function reviewQueueRoutes(service: ReviewQueueService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/review-queue',
      operationId: 'reviewQueue',
      summary: 'Everything waiting for the provider’s staff, nearest deadline first',
      description:
        'Applications in review, pending deal and project registrations, open specialization ' +
        'applications and presale requests not done or declined, in one list ordered by ' +
        'deadline (ties: the earlier submitted first). A presale request is due by its ' +
        'first-answer deadline until it is answered, then by the end of its desired date. ' +
        'Managers see every kind; the presale staff see presale requests only.',
      tags: ['Review queue'],
      roles: ['manager', 'presale'],
      query: reviewQueueQuery,
      responses: { 200: { description: 'The queue', schema: reviewQueueView } },
      handler: async ({ principal, query }) => ({
        status: 200,
        body: await service.queue(principal, query),
      }),
    }),
  ];
}
