import { z } from 'zod';
import {
  PRESALE_COMMENT_MAX,
  PRESALE_DESCRIPTION_MAX,
  PRESALE_REASON_MAX,
  PRESALE_STATUSES,
  PRESALE_TARGETS,
  PRESALE_TOPIC_MAX,
} from '../../../domain/presales';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { PresaleService } from './presales.service';

// The schemas check the form (400 with field messages); whether the customer or project is
// the partner's, the desired date and the status moves are the domain's (422, 409).
const STAFF = ['presale', 'manager'] as const;

const requestParams = z.object({
  requestId: z.guid({ message: 'must be a presale request id (UUID)' }),
});

const requestView = z
  .object({
    id: z.guid(),
    partnerId: z.guid(),
    organizationId: z.string(),
    customerAccountId: z.string().nullable().describe('The customer subaccount, or null'),
    projectId: z.guid().nullable().describe('The registered project, or null'),
    topic: z.string(),
    description: z.string(),
    desiredDate: z.iso.date(),
    status: z.enum(PRESALE_STATUSES),
    assignee: z.string().nullable().describe('The presale staff member working on it'),
    declineReason: z.string().nullable(),
    slaDeadline: z.iso.datetime().describe('The first answer is late from this instant'),
    firstAnsweredAt: z.iso
      .datetime()
      .nullable()
      .describe('The first assignment, decline or staff comment'),
    escalatedAt: z.iso
      .datetime()
      .nullable()
      .describe('When the SLA passed unanswered and the presale leads were told'),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PresaleRequest' });

const commentView = z
  .object({
    id: z.guid(),
    authorRole: z.enum(['partner', 'staff']),
    author: z.string(),
    body: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PresaleComment' });

const detailView = requestView.extend({
  comments: z.array(commentView).describe('Oldest first'),
  history: z
    .array(
      z.object({
        id: z.string(),
        actor: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        reason: z.string().nullable(),
        assignee: z.string().nullable(),
        at: z.iso.datetime(),
      }),
    )
    .describe('Every status change: who, when, from, to, why'),
});

/** Presale requests: partners ask for the provider's experts; presale staff answer them. */
export function presaleRoutes(service: PresaleService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/presale-requests',
      operationId: 'submitPresaleRequest',
      summary: 'Ask for the provider’s presale experts for one of your customers or projects',
      description:
        'Name exactly one of customerAccountId (a subaccount of your billing account) or ' +
        'projectId (one of your registered projects). Presale staff answer first within the ' +
        'SLA in business days; you are notified of every status change and staff comment.',
      tags: ['Presale'],
      roles: ['partner'],
      body: z
        .object({
          customerAccountId: z.string().trim().min(1, 'must not be empty').max(100).nullish(),
          projectId: z.guid({ message: 'must be a project id (UUID)' }).nullish(),
          topic: z.string().trim().min(1, 'must not be empty').max(PRESALE_TOPIC_MAX),
          description: z.string().trim().min(1, 'must not be empty').max(PRESALE_DESCRIPTION_MAX),
          desiredDate: z.iso.date({ message: 'must be a calendar date YYYY-MM-DD' }),
        })
        .strict(),
      responses: {
        201: { description: 'The request, status new', schema: requestView },
        404: { description: 'The organization is not a partner' },
        409: { description: 'The partner has left or was revoked' },
        422: {
          description:
            'Not your customer or project, both or neither named, or a desired date in the past',
        },
      },
      handler: async ({ principal, body }) => ({
        status: 201,
        body: await service.submit(principal, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/presale-requests',
      operationId: 'myPresaleRequests',
      summary: 'Your presale requests, newest first',
      tags: ['Presale'],
      roles: ['partner'],
      responses: {
        200: { description: 'Requests', schema: z.object({ items: z.array(requestView) }) },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal }) => ({ status: 200, body: await service.mine(principal) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/presale-requests',
      operationId: 'presaleQueue',
      summary: 'The presale staff’s queue: nearest first-answer deadline first',
      description: 'Without a status: the open requests (new, assigned, in progress).',
      tags: ['Presale'],
      roles: STAFF,
      query: z.object({ status: z.enum(PRESALE_STATUSES).optional() }),
      responses: {
        200: { description: 'Requests', schema: z.object({ items: z.array(requestView) }) },
      },
      handler: async ({ query }) => ({
        status: 200,
        body: await service.queue(query.status ? [query.status] : undefined),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/presale-requests/:requestId',
      operationId: 'presaleRequest',
      summary: 'A presale request with its comments and status history',
      tags: ['Presale'],
      roles: ['partner', ...STAFF],
      params: requestParams,
      responses: {
        200: { description: 'The request', schema: detailView },
        404: { description: 'No such request (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.detail(principal, params.requestId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/presale-requests/:requestId/status',
      operationId: 'movePresaleRequest',
      summary: 'Assign, start, finish or decline a presale request',
      description:
        'new → assigned → in_progress → done; assigned or in_progress → assigned hands it to ' +
        'someone else; new, assigned or in_progress → declined with a reason. Any other move ' +
        'answers 409 naming the moves allowed.',
      tags: ['Presale'],
      roles: STAFF,
      params: requestParams,
      body: z
        .object({
          status: z.enum(PRESALE_TARGETS),
          assignee: z.string().trim().max(200).nullish().describe('Required for assigned'),
          reason: z
            .string()
            .trim()
            .max(PRESALE_REASON_MAX)
            .nullish()
            .describe('Required for declined'),
        })
        .strict(),
      responses: {
        200: { description: 'The request after the move', schema: requestView },
        404: { description: 'No such request' },
        409: { description: 'The move is not allowed from the request’s status' },
        422: { description: 'An assignment without an assignee, a decline without a reason' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.move(principal, params.requestId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/presale-requests/:requestId/comments',
      operationId: 'commentPresaleRequest',
      summary: 'Comment on a presale request (partner or presale staff)',
      tags: ['Presale'],
      roles: ['partner', ...STAFF],
      params: requestParams,
      body: z
        .object({ text: z.string().trim().min(1, 'must not be empty').max(PRESALE_COMMENT_MAX) })
        .strict(),
      responses: {
        201: { description: 'The comment', schema: commentView },
        404: { description: 'No such request (or not yours)' },
        409: { description: 'The request is done or declined' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 201,
        body: await service.comment(principal, params.requestId, body),
      }),
    }),
  ];
}
