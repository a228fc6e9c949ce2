import type { ApplicationStatus, IdentityMethod, OnboardingStep } from '../../domain/onboarding';
import type { Database } from '../client';
import { Prisma } from '../generated/client/client';

export interface ApplicationRecord {
  id: string;
  organizationId: string;
  workflowId: string;
  workflowRunId: string;
  identityMethod: IdentityMethod;
  status: ApplicationStatus;
  step: OnboardingStep;
  startedBy: string;
  startedAt: Date;
}

/** Columns that follow the workflow's state; each transition may change some of them. */
export interface ApplicationChanges {
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  companyInn?: string | null;
  companyName?: string | null;
  billingAccountId?: string | null;
  programs?: ('var' | 'referral')[];
  taxationType?: string | null;
  details?: Record<string, unknown>;
  submittedAt?: Date;
  reviewDeadline?: Date;
  reminderAt?: Date;
  escalatedAt?: Date;
  decidedAt?: Date;
  decidedBy?: string;
  decisionReason?: string | null;
}

export interface ApplicationEvent {
  applicationId: string;
  /** Position of the event in the application's history; with the id it makes the key. */
  sequence: number;
  actor: string;
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  step: OnboardingStep;
  at: Date;
  changes?: ApplicationChanges;
}

/** What the projection statement reads: the row's columns and the related rows as JSON. */
type ProjectionRow = ApplicationRecord &
  Pick<
    ApplicationProjection,
    | 'companyInn'
    | 'programs'
    | 'taxationType'
    | 'submittedAt'
    | 'reviewDeadline'
    | 'reminderAt'
    | 'escalatedAt'
    | 'decidedAt'
    | 'decidedBy'
    | 'decisionReason'
  > & {
    contactName: string | null;
    contactEmail: string | null;
    contactPhone: string | null;
    details: Record<string, unknown> | null;
    account: {
      id: string;
      creationKey: string | null;
      verificationStatus: 'not_requested' | 'pending' | 'approved' | 'rejected';
      verificationReason: string | null;
      upgradedAt: string | null;
      bik: string | null;
      settlementAccount: string | null;
    } | null;
    partner: { id: string; startDate: string } | null;
    remindedAt: Date | null;
    events: { at: string; actor: string; action: string; from: string | null; to: string | null }[];
  };

/**
 * Everything the database knows of one application, as the workflow's activities keep it:
 * the projection row, its audit trail, its billing account, the partner it made and when
 * the manager was reminded. The API builds the application's status from it, so reading a
 * status needs neither Temporal nor a running worker.
 */
export interface ApplicationProjection {
  record: ApplicationRecord;
  contact: { name: string; email: string; phone: string } | null;
  companyInn: string | null;
  programs: ('var' | 'referral')[];
  taxationType: string | null;
  /** Company card, questionnaire and bank details as the applicant gave them. */
  details: Record<string, unknown>;
  submittedAt: Date | null;
  reviewDeadline: Date | null;
  reminderAt: Date | null;
  escalatedAt: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
  billingAccount: {
    id: string;
    creationKey: string | null;
    verificationStatus: 'not_requested' | 'pending' | 'approved' | 'rejected';
    verificationReason: string | null;
    upgradedAt: Date | null;
    bankDetails: { bik: string; account: string } | null;
  } | null;
  partner: { id: string; startDate: string } | null;
  /** When the manager's reminder was stored (the review's last day), if it was. */
  remindedAt: Date | null;
  history: {
    at: Date;
    actor: string;
    action: string;
    from: ApplicationStatus | null;
    to: ApplicationStatus;
  }[];
}

/** Applications and their audit trail. Every write is idempotent by business key. */
export function createApplicationRepository(db: Database) {
  return {
    /** Stores a new application with its first audit event; a repeat changes nothing. */
    async create(record: ApplicationRecord): Promise<void> {
      await db.$transaction([
        db.application.upsert({
          where: { id: record.id },
          create: record,
          update: {},
        }),
        db.auditEvent.upsert({
          where: { idempotencyKey: `application:${record.id}:1` },
          create: {
            idempotencyKey: `application:${record.id}:1`,
            entityType: 'application',
            entityId: record.id,
            actor: record.startedBy,
            action: 'started',
            fromState: null,
            toState: record.status,
            occurredAt: record.startedAt,
            details: {
              organizationId: record.organizationId,
              identityMethod: record.identityMethod,
            },
          },
          update: {},
        }),
      ]);
    },

    /** Moves the application to a new status and appends the audit event, once. */
    async recordEvent(event: ApplicationEvent): Promise<void> {
      const key = `application:${event.applicationId}:${event.sequence}`;
      await db.$transaction(async (tx) => {
        const existing = await tx.auditEvent.findUnique({ where: { idempotencyKey: key } });
        if (existing) return;
        await tx.auditEvent.create({
          data: {
            idempotencyKey: key,
            entityType: 'application',
            entityId: event.applicationId,
            actor: event.actor,
            action: event.action,
            fromState: event.from,
            toState: event.to,
            occurredAt: event.at,
            details: event.changes
              ? (JSON.parse(JSON.stringify(event.changes)) as Prisma.InputJsonValue)
              : Prisma.JsonNull,
          },
        });
        const { details, ...columns } = event.changes ?? {};
        await tx.application.update({
          where: { id: event.applicationId },
          data: {
            ...columns,
            ...(details ? { details: details as Prisma.InputJsonValue } : {}),
            status: event.to,
            step: event.step,
          },
        });
      });
    },

    async findById(id: string): Promise<ApplicationRecord | null> {
      const row = await db.application.findUnique({ where: { id } });
      return row
        ? {
            id: row.id,
            organizationId: row.organizationId,
            workflowId: row.workflowId,
            workflowRunId: row.workflowRunId,
            identityMethod: row.identityMethod,
            status: row.status,
            step: row.step as OnboardingStep,
            startedBy: row.startedBy,
            startedAt: row.startedAt,
          }
        : null;
    },

    /** The application as the database knows it; null when there is no such application. */
    async projection(id: string): Promise<ApplicationProjection | null> {
      // One statement (the status page is the most read route): the row with its history,
      // billing account, partner and latest reminder beside it.
      const [found] = await db.$queryRaw<ProjectionRow[]>`
        SELECT a.id::text AS id, a.organization_id AS "organizationId", a.workflow_id AS "workflowId",
               a.workflow_run_id AS "workflowRunId", a.identity_method::text AS "identityMethod",
               a.status::text AS status, a.step, a.started_by AS "startedBy", a.started_at AS "startedAt",
               a.contact_name AS "contactName", a.contact_email AS "contactEmail",
               a.contact_phone AS "contactPhone", a.company_inn AS "companyInn",
               coalesce(to_jsonb(a.programs::text[]), '[]'::jsonb) AS programs, a.taxation_type AS "taxationType", a.details,
               a.submitted_at AS "submittedAt", a.review_deadline AS "reviewDeadline",
               a.reminder_at AS "reminderAt", a.escalated_at AS "escalatedAt",
               a.decided_at AS "decidedAt", a.decided_by AS "decidedBy",
               a.decision_reason AS "decisionReason",
               (SELECT jsonb_build_object(
                         'id', b.id, 'creationKey', b.creation_key,
                         'verificationStatus', b.verification_status,
                         'verificationReason', b.verification_reason, 'upgradedAt', b.upgraded_at,
                         'bik', b.bik, 'settlementAccount', b.settlement_account)
                  FROM billing_accounts b WHERE b.id = a.billing_account_id) AS account,
               (SELECT jsonb_build_object('id', p.id, 'startDate', p.start_date)
                  FROM partners p WHERE p.application_id = a.id) AS partner,
               (SELECT n.created_at FROM notifications n
                 WHERE n.organization_id = a.organization_id
                   AND n.idempotency_key LIKE 'application:' || a.id::text || ':notification:%'
                   AND n.kind = 'review-reminder'
                 ORDER BY n.created_at DESC LIMIT 1) AS "remindedAt",
               (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'at', e.occurred_at, 'actor', e.actor, 'action', e.action,
                         'from', e.from_state, 'to', e.to_state) ORDER BY e.occurred_at, e.id), '[]'::jsonb)
                  FROM audit_events e
                 WHERE e.entity_type = 'application' AND e.entity_id = a.id::text) AS events
          FROM applications a
         WHERE a.id = ${id}::uuid`;
      if (!found) return null;
      const row = found;
      const account = row.account;
      const partner = row.partner;
      return {
        record: {
          id: row.id,
          organizationId: row.organizationId,
          workflowId: row.workflowId,
          workflowRunId: row.workflowRunId,
          identityMethod: row.identityMethod,
          status: row.status,
          step: row.step,
          startedBy: row.startedBy,
          startedAt: row.startedAt,
        },
        contact:
          row.contactName && row.contactEmail && row.contactPhone
            ? { name: row.contactName, email: row.contactEmail, phone: row.contactPhone }
            : null,
        companyInn: row.companyInn,
        programs: row.programs,
        taxationType: row.taxationType,
        details:
          row.details && typeof row.details === 'object' && !Array.isArray(row.details)
            ? row.details
            : {},
        submittedAt: row.submittedAt,
        reviewDeadline: row.reviewDeadline,
        reminderAt: row.reminderAt,
        escalatedAt: row.escalatedAt,
        decidedAt: row.decidedAt,
        decidedBy: row.decidedBy,
        decisionReason: row.decisionReason,
        billingAccount: account
          ? {
              id: account.id,
              creationKey: account.creationKey,
              verificationStatus: account.verificationStatus,
              verificationReason: account.verificationReason,
              upgradedAt: account.upgradedAt ? new Date(account.upgradedAt) : null,
              bankDetails:
                account.bik && account.settlementAccount
                  ? { bik: account.bik, account: account.settlementAccount }
                  : null,
            }
          : null,
        partner: partner ? { id: partner.id, startDate: partner.startDate.slice(0, 10) } : null,
        remindedAt: row.remindedAt,
        history: row.events.map((event) => ({
          at: new Date(event.at),
          actor: event.actor,
          action: event.action,
          from: event.from as ApplicationStatus | null,
          to: event.to as ApplicationStatus,
        })),
      };
    },

    /** The manager's queue: applications in review, the nearest deadline first. */
    async reviewQueue(limit: number) {
      const rows = await db.application.findMany({
        where: { status: 'in_review' },
        orderBy: [{ reviewDeadline: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((row) => ({
        id: row.id,
        organizationId: row.organizationId,
        companyName: row.companyName,
        companyInn: row.companyInn,
        programs: row.programs,
        submittedAt: row.submittedAt,
        reviewDeadline: row.reviewDeadline,
        escalatedAt: row.escalatedAt,
      }));
    },

    async findByBillingAccount(billingAccountId: string): Promise<ApplicationRecord | null> {
      const row = await db.application.findFirst({
        where: { billingAccountId },
        orderBy: { startedAt: 'desc' },
      });
      return row ? this.findById(row.id) : null;
    },

    async list(filter: {
      status?: ApplicationStatus;
      organizationId?: string;
      order?: 'oldest' | 'newest';
      limit: number;
    }) {
      const direction = filter.order === 'newest' ? 'desc' : 'asc';
      const rows = await db.application.findMany({
        where: { status: filter.status, organizationId: filter.organizationId },
        orderBy: [{ startedAt: direction }, { id: direction }],
        take: filter.limit,
      });
      return rows.map((row) => ({
        id: row.id,
        organizationId: row.organizationId,
        status: row.status,
        step: row.step as OnboardingStep,
        startedAt: row.startedAt,
        companyName: row.companyName,
        companyInn: row.companyInn,
        programs: row.programs,
        submittedAt: row.submittedAt,
      }));
    },

    async auditTrail(applicationId: string) {
      return db.auditEvent.findMany({
        where: { entityType: 'application', entityId: applicationId },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      });
    },
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
