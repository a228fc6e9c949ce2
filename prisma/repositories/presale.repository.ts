import { randomUUID } from 'node:crypto';
import type { PresaleStatus } from '../../domain/presales';
import type { Database } from '../client';
import type { PresaleComment, PresaleRequest } from '../generated/client/client';

/**
 * Presale requests, their comments and their audited status changes. The rules (which
 * transitions, the SLA) are domain/presales.ts; this file reads and writes, and makes each
 * change conditional on the status it was decided from, so two staff members acting at once
 * cannot both move the same request.
 */
export const PRESALE_AUDIT_ENTITY = 'presale_request';

export interface PresaleRequestView {
  id: string;
  partnerId: string;
  organizationId: string;
  customerAccountId: string | null;
  projectId: string | null;
  topic: string;
  description: string;
  desiredDate: string;
  status: PresaleStatus;
  assignee: string | null;
  declineReason: string | null;
  slaDeadline: string;
  firstAnsweredAt: string | null;
  escalatedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface PresaleCommentView {
  id: string;
  authorRole: 'partner' | 'staff';
  author: string;
  body: string;
  createdAt: string;
}

export interface PresaleStatusChange {
  id: string;
  actor: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  assignee: string | null;
  at: string;
}

export interface PresaleRequestDetail extends PresaleRequestView {
  comments: PresaleCommentView[];
  history: PresaleStatusChange[];
}

export interface NewPresaleRequest {
  partnerId: string;
  organizationId: string;
  customerAccountId: string | null;
  projectId: string | null;
  topic: string;
  description: string;
  desiredDate: string;
  slaDeadline: string;
  createdBy: string;
  at: Date;
}

export interface PresaleMove {
  id: string;
  from: PresaleStatus;
  to: PresaleStatus;
  assignee: string | null;
  reason: string | null;
  actor: string;
  at: Date;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function requestView(row: PresaleRequest): PresaleRequestView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    organizationId: row.organizationId,
    customerAccountId: row.customerAccountId,
    projectId: row.projectId,
    topic: row.topic,
    description: row.description,
    desiredDate: row.desiredDate.toISOString().slice(0, 10),
    status: row.status,
    assignee: row.assignee,
    declineReason: row.declineReason,
    slaDeadline: row.slaDeadline.toISOString(),
    firstAnsweredAt: iso(row.firstAnsweredAt),
    escalatedAt: iso(row.escalatedAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function commentView(row: PresaleComment): PresaleCommentView {
  return {
    id: row.id,
    authorRole: row.authorRole === 'partner' ? 'partner' : 'staff',
    author: row.author,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}

export function createPresaleRepository(db: Database) {
  return {
    /** Whether the account is a customer subaccount under the partner's own account. */
    async isCustomerOf(ownAccountId: string, customerAccountId: string): Promise<boolean> {
      const row = await db.billingAccount.findFirst({
        where: { id: customerAccountId, parentId: ownAccountId },
        select: { id: true },
      });
      return row !== null;
    },

    async isProjectOf(partnerId: string, projectId: string): Promise<boolean> {
      const row = await db.project.findFirst({
        where: { id: projectId, partnerId },
        select: { id: true },
      });
      return row !== null;
    },

    /** Stores a new request and its audited creation (from nothing to `new`). */
    async create(
      input: NewPresaleRequest,
    ): Promise<{ request: PresaleRequestView; eventId: string }> {
      const id = randomUUID();
      const eventId = randomUUID();
      const row = await db.$transaction(async (tx) => {
        const created = await tx.presaleRequest.create({
          data: {
            id,
            partnerId: input.partnerId,
            organizationId: input.organizationId,
            customerAccountId: input.customerAccountId,
            projectId: input.projectId,
            topic: input.topic,
            description: input.description,
            desiredDate: new Date(`${input.desiredDate}T00:00:00Z`),
            slaDeadline: new Date(input.slaDeadline),
            createdBy: input.createdBy,
            createdAt: input.at,
            updatedAt: input.at,
          },
        });
        await tx.auditEvent.create({
          data: {
            idempotencyKey: `presale:${id}:event:${eventId}`,
            entityType: PRESALE_AUDIT_ENTITY,
            entityId: id,
            actor: input.createdBy,
            action: 'submitted',
            fromState: null,
            toState: 'new',
            details: { reason: null, assignee: null },
            occurredAt: input.at,
          },
        });
        return created;
      });
      return { request: requestView(row), eventId };
    },

    async find(id: string): Promise<PresaleRequestView | null> {
      const row = await db.presaleRequest.findUnique({ where: { id } });
      return row ? requestView(row) : null;
    },

    async detail(id: string): Promise<PresaleRequestDetail | null> {
      const row = await db.presaleRequest.findUnique({
        where: { id },
        include: { comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
      });
      if (!row) return null;
      const events = await db.auditEvent.findMany({
        where: { entityType: PRESALE_AUDIT_ENTITY, entityId: id },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      });
      return {
        ...requestView(row),
        comments: row.comments.map(commentView),
        history: events.map((e) => {
          const details = (e.details ?? {}) as { reason?: string | null; assignee?: string | null };
          return {
            id: e.idempotencyKey.split(':').pop() ?? String(e.id),
            actor: e.actor,
            from: e.fromState,
            to: e.toState,
            reason: details.reason ?? null,
            assignee: details.assignee ?? null,
            at: e.occurredAt.toISOString(),
          };
        }),
      };
    },

    async ofPartner(partnerId: string): Promise<PresaleRequestView[]> {
      const rows = await db.presaleRequest.findMany({
        where: { partnerId },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(requestView);
    },

    /** The staff queue: nearest first-answer deadline (so the oldest) first. */
    async queue(statuses: PresaleStatus[]): Promise<PresaleRequestView[]> {
      const rows = await db.presaleRequest.findMany({
        where: { status: { in: statuses } },
        orderBy: [{ slaDeadline: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        take: 500,
      });
      return rows.map(requestView);
    },

    /**
     * Requests still to be worked on (not done, not declined) for the manager's review queue,
     * nearest first-answer deadline first, at most `limit`, with the partner's name.
     */
    async openForReview(
      limit: number,
    ): Promise<(PresaleRequestView & { partnerName: string | null })[]> {
      const rows = await db.presaleRequest.findMany({
        where: { status: { in: ['new', 'assigned', 'in_progress'] } },
        orderBy: [{ slaDeadline: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      const partners = await db.partner.findMany({
        where: { id: { in: [...new Set(rows.map((row) => row.partnerId))] } },
        select: { id: true, name: true },
      });
      const names = new Map(partners.map((p) => [p.id, p.name]));
      return rows.map((row) => ({
        ...requestView(row),
        partnerName: names.get(row.partnerId) ?? null,
      }));
    },

    /**
     * Moves the request if it is still in `from`, with its audit event, in one transaction;
     * null when someone else moved it first. The first staff move is the first answer.
     */
    async move(m: PresaleMove): Promise<{ request: PresaleRequestView; eventId: string } | null> {
      const eventId = randomUUID();
      return db.$transaction(async (tx) => {
        const changed = await tx.presaleRequest.updateMany({
          where: { id: m.id, status: m.from },
          data: {
            status: m.to,
            assignee: m.assignee,
            ...(m.to === 'declined' ? { declineReason: m.reason } : {}),
            updatedAt: m.at,
          },
        });
        if (changed.count === 0) return null;
        await tx.presaleRequest.updateMany({
          where: { id: m.id, firstAnsweredAt: null },
          data: { firstAnsweredAt: m.at },
        });
        await tx.auditEvent.create({
          data: {
            idempotencyKey: `presale:${m.id}:event:${eventId}`,
            entityType: PRESALE_AUDIT_ENTITY,
            entityId: m.id,
            actor: m.actor,
            action: 'status_changed',
            fromState: m.from,
            toState: m.to,
            details: { reason: m.reason, assignee: m.assignee },
            occurredAt: m.at,
          },
        });
        const row = await tx.presaleRequest.findUniqueOrThrow({ where: { id: m.id } });
        return { request: requestView(row), eventId };
      });
    },

    /** Adds a comment; a staff member's comment is the first answer if none came before. */
    async comment(input: {
      requestId: string;
      authorRole: 'partner' | 'staff';
      author: string;
      body: string;
      at: Date;
    }): Promise<PresaleCommentView> {
      return db.$transaction(async (tx) => {
        const row = await tx.presaleComment.create({
          data: {
            id: randomUUID(),
            requestId: input.requestId,
            authorRole: input.authorRole,
            author: input.author,
            body: input.body,
            createdAt: input.at,
          },
        });
        if (input.authorRole === 'staff') {
          await tx.presaleRequest.updateMany({
            where: { id: input.requestId, firstAnsweredAt: null },
            data: { firstAnsweredAt: input.at },
          });
        }
        return commentView(row);
      });
    },

    /** Marks the request escalated once, unless it was answered meanwhile. */
    async recordEscalation(id: string, at: Date): Promise<boolean> {
      const changed = await db.presaleRequest.updateMany({
        where: { id, firstAnsweredAt: null, escalatedAt: null },
        data: { escalatedAt: at },
      });
      return changed.count > 0;
    },
  };
}

export type PresaleRepository = ReturnType<typeof createPresaleRepository>;
