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

    async list(filter: { status?: ApplicationStatus; organizationId?: string; limit: number }) {
      const rows = await db.application.findMany({
        where: { status: filter.status, organizationId: filter.organizationId },
        orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
        take: filter.limit,
      });
      return rows.map((row) => ({
        id: row.id,
        organizationId: row.organizationId,
        status: row.status,
        step: row.step as OnboardingStep,
        startedAt: row.startedAt,
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
