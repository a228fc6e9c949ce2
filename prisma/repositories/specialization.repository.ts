import { moscowDateOf } from '../../domain/calendar/production-calendar';
import { assertOpenDate, assertOpenEnd } from '../../domain/closed-period';
import { DomainError } from '../../domain/errors';
import {
  assertMayHoldSpecialization,
  catalogueEntryOn,
  decide,
  openApplicationKey,
  type ApplicationStatus,
  type CatalogueEntry,
} from '../../domain/specializations';
import type { Database } from '../client';
import { Prisma } from '../generated/client/client';
import { lockFirstOpenDate } from './closed-period.repository';
import { specializationView, type SpecializationView } from './program.repository';

/**
 * The specialization catalogue, partners' applications and the grants they lead to. The
 * rules are in domain/specializations.ts; this file reads and writes them under locks, and
 * records every state change in audit_events in the same transaction (who, when, from, to,
 * why). Dated writes read the first open date first (domain/closed-period.ts).
 */
export interface ApplicationView {
  id: string;
  partnerId: string;
  code: string;
  evidence: string;
  certifiedEngineers: number;
  status: ApplicationStatus;
  submittedBy: string;
  submittedAt: string;
  /** When the review is late (00:00 Moscow after the SLA's last business day). */
  reviewDeadline: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  /** The grant a granted application created. */
  specializationId: string | null;
}

/** A held specialization: the same view the program routes give. */
export type HeldSpecializationView = SpecializationView;

export interface AuditView {
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  at: string;
}

type Tx = Prisma.TransactionClient;
type ApplicationRow = Awaited<
  ReturnType<Database['specializationApplication']['findUniqueOrThrow']>
>;
type CatalogueRow = Awaited<
  ReturnType<Database['specializationCatalogueEntry']['findUniqueOrThrow']>
>;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const dbDate = (d: string) => new Date(`${d}T00:00:00Z`);
const OPEN_END = '9999-12-31';
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };
const APPLICATION = 'specialization_application';
const GRANT = 'specialization';

function catalogueView(row: CatalogueRow): CatalogueEntry {
  return {
    code: row.code,
    nameRu: row.nameRu,
    nameEn: row.nameEn,
    serviceIds: row.serviceIds,
    rate: row.rate.toString(),
    requirements: row.requirements,
    minCertifiedEngineers: row.minCertifiedEngineers,
    validFrom: isoDate(row.validFrom),
    validTo: row.validTo ? isoDate(row.validTo) : null,
  };
}

function applicationView(row: ApplicationRow): ApplicationView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    code: row.code,
    evidence: row.evidence,
    certifiedEngineers: row.certifiedEngineers,
    status: row.status,
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt.toISOString(),
    reviewDeadline: row.reviewDeadline ? row.reviewDeadline.toISOString() : null,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    reason: row.decisionReason,
    specializationId: row.specializationId === null ? null : row.specializationId.toString(),
  };
}

const heldView = specializationView;

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

async function lock(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

/** The partner, row-locked against a concurrent exit, checked to be able to hold one. */
async function lockHolder(tx: Tx, partnerId: string, today: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM partners WHERE id = ${partnerId}::uuid FOR SHARE`;
  const partner = await tx.partner.findUnique({
    where: { id: partnerId },
    include: { memberships: true },
  });
  if (!partner)
    throw new DomainError('not_found', `No partner ${partnerId}`, [], {
      reason: 'partner_not_found',
      params: { partnerId },
    });
  const inVar = partner.memberships.some(
    (m) =>
      m.program === 'var' &&
      isoDate(m.startDate) <= today &&
      (m.endDate === null || isoDate(m.endDate) >= today),
  );
  assertMayHoldSpecialization({ status: partner.status, inVar });
}

async function audit(
  tx: Tx,
  event: {
    key: string;
    entityType: string;
    entityId: string;
    actor: string;
    action: string;
    from: string | null;
    to: string | null;
    at: Date;
    details: Prisma.InputJsonObject;
  },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      idempotencyKey: event.key,
      entityType: event.entityType,
      entityId: event.entityId,
      actor: event.actor,
      action: event.action,
      fromState: event.from,
      toState: event.to,
      details: event.details,
      occurredAt: event.at,
    },
  });
}

export function createSpecializationRepository(db: Database) {
  /** The open grant of `code` overlapping [from, to], if the partner holds one then. */
  async function heldClash(tx: Tx, partnerId: string, code: string, from: string, to: string) {
    return tx.specialization.findFirst({
      where: {
        partnerId,
        code,
        validFrom: { lte: dbDate(to) },
        OR: [{ validTo: null }, { validTo: { gte: dbDate(from) } }],
      },
      orderBy: { validFrom: 'asc' },
    });
  }

  async function lockedApplication(tx: Tx, id: string): Promise<ApplicationRow> {
    await tx.$executeRaw`SELECT 1 FROM specialization_applications WHERE id = ${id}::uuid FOR UPDATE`;
    const row = await tx.specializationApplication.findUnique({ where: { id } });
    if (!row)
      throw new DomainError('not_found', `No specialization application ${id}`, [], {
        reason: 'specialization_application_not_found',
        params: { applicationId: id },
      });
    return row;
  }

  return {
    /** Every version of every specialization, by code and first day. */
    async catalogue(): Promise<CatalogueEntry[]> {
      const rows = await db.specializationCatalogueEntry.findMany({
        orderBy: [{ code: 'asc' }, { validFrom: 'asc' }],
      });
      return rows.map(catalogueView);
    },

    /**
     * Files an application. Under the partner row's lock the partner must still be able to
     * hold a specialization; it must not hold this one today (conflict); the unique open key
     * refuses a second open application for the same code (conflict).
     */
    async submitApplication(application: {
      partnerId: string;
      code: string;
      evidence: string;
      certifiedEngineers: number;
      submittedBy: string;
      /** When the review is late, computed by the caller on the production calendar. */
      reviewDeadline: string;
      today: string;
      at: Date;
    }): Promise<ApplicationView> {
      try {
        return await db.$transaction(async (tx) => {
          await lockHolder(tx, application.partnerId, application.today);
          const held = await heldClash(
            tx,
            application.partnerId,
            application.code,
            application.today,
            OPEN_END,
          );
          if (held) {
            throw new DomainError(
              'conflict',
              `The partner already holds ${application.code} (grant ${held.id.toString()})`,
              [
                {
                  field: 'code',
                  message: `is held already, from ${isoDate(held.validFrom)}`,
                  code: 'specialization_held',
                  params: { since: isoDate(held.validFrom) },
                },
              ],
              {
                reason: 'specialization_held',
                params: { code: application.code, validFrom: isoDate(held.validFrom) },
              },
            );
          }
          const row = await tx.specializationApplication.create({
            data: {
              partnerId: application.partnerId,
              code: application.code,
              evidence: application.evidence.trim(),
              certifiedEngineers: application.certifiedEngineers,
              openKey: openApplicationKey(application.partnerId, application.code),
              submittedBy: application.submittedBy,
              submittedAt: application.at,
              reviewDeadline: new Date(application.reviewDeadline),
            },
          });
          await audit(tx, {
            key: `${APPLICATION}:${row.id}:submitted`,
            entityType: APPLICATION,
            entityId: row.id,
            actor: application.submittedBy,
            action: 'submit',
            from: null,
            to: 'open',
            at: application.at,
            details: { code: row.code, certifiedEngineers: row.certifiedEngineers },
          });
          return applicationView(row);
        }, TX_OPTIONS);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new DomainError(
          'conflict',
          `An application for ${application.code} is open already: wait for its decision`,
          [{ field: 'code', message: 'has an open application already', code: 'application_open' }],
          { reason: 'specialization_application_open', params: { code: application.code } },
        );
      }
    },

    async findApplication(id: string): Promise<ApplicationView | null> {
      const row = await db.specializationApplication.findUnique({ where: { id } });
      return row ? applicationView(row) : null;
    },

    /** A partner's applications, newest first. */
    async applicationsOf(partnerId: string): Promise<ApplicationView[]> {
      const rows = await db.specializationApplication.findMany({
        where: { partnerId },
        orderBy: [{ submittedAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(applicationView);
    },

    /** Applications in a status, oldest first: the review queue for open ones. */
    async applicationsIn(status: ApplicationStatus): Promise<ApplicationView[]> {
      const rows = await db.specializationApplication.findMany({
        where: { status },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        take: 500,
      });
      return rows.map(applicationView);
    },

    /**
     * Open applications for the manager's review queue, nearest deadline first (at most
     * `limit`), with the applying partner's name and the specialization's name in the
     * catalogue version valid on the day of submission (else its code).
     */
    async openForReview(limit: number) {
      const rows = await db.specializationApplication.findMany({
        where: { status: 'open' },
        orderBy: [
          { reviewDeadline: { sort: 'asc', nulls: 'last' } },
          { submittedAt: 'asc' },
          { id: 'asc' },
        ],
        take: limit,
      });
      const [partners, versions] = await Promise.all([
        db.partner.findMany({
          where: { id: { in: [...new Set(rows.map((row) => row.partnerId))] } },
          select: { id: true, name: true },
        }),
        db.specializationCatalogueEntry.findMany({
          where: { code: { in: [...new Set(rows.map((row) => row.code))] } },
        }),
      ]);
      const partnerNames = new Map(partners.map((p) => [p.id, p.name]));
      const catalogue = versions.map(catalogueView);
      return rows.map((row) => ({
        ...applicationView(row),
        partnerName: partnerNames.get(row.partnerId) ?? null,
        name:
          catalogueEntryOn(catalogue, row.code, moscowDateOf(row.submittedAt))?.nameEn ??
          catalogue.find((entry) => entry.code === row.code)?.nameEn ??
          row.code,
      }));
    },

    /** The partner's grants, latest first day first. */
    async heldBy(partnerId: string): Promise<HeldSpecializationView[]> {
      const rows = await db.specialization.findMany({
        where: { partnerId },
        orderBy: [{ validFrom: 'desc' }, { id: 'desc' }],
      });
      return rows.map(heldView);
    },

    /** The audit trail of an application and of the grant it created, oldest first. */
    async historyOf(application: ApplicationView): Promise<AuditView[]> {
      const rows = await db.auditEvent.findMany({
        where: {
          OR: [
            { entityType: APPLICATION, entityId: application.id },
            ...(application.specializationId
              ? [{ entityType: GRANT, entityId: application.specializationId }]
              : []),
          ],
        },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => {
        const details = (row.details ?? {}) as Record<string, unknown>;
        return {
          actor: row.actor,
          action: row.action,
          from: row.fromState,
          to: row.toState,
          reason: typeof details.reason === 'string' ? details.reason : null,
          at: row.occurredAt.toISOString(),
        };
      });
    },

    /**
     * Grants an open application from `validFrom` with the rate and services of the
     * catalogue version valid that day: creates the grant the quarter-end close reads, marks
     * the application granted and audits both, in one transaction. Refuses a first day in a
     * closed month (422), a code with no catalogue version that day (422), a partner who can
     * no longer hold it or a decided application (409), and days already held (409).
     */
    async grant(decision: {
      applicationId: string;
      validFrom: string;
      actor: string;
      reason: string | null;
      today: string;
      at: Date;
    }): Promise<{ application: ApplicationView; specialization: HeldSpecializationView }> {
      return db.$transaction(async (tx) => {
        assertOpenDate(decision.validFrom, await lockFirstOpenDate(tx), 'validFrom');
        const application = await lockedApplication(tx, decision.applicationId);
        decide(application.status, 'grant');
        await lockHolder(tx, application.partnerId, decision.today);
        await lock(tx, `specialization:${application.partnerId}:${application.code}`);
        const versions = (
          await tx.specializationCatalogueEntry.findMany({ where: { code: application.code } })
        ).map(catalogueView);
        const entry = catalogueEntryOn(versions, application.code, decision.validFrom);
        if (!entry) {
          const message = `the catalogue has no version of ${application.code} on ${decision.validFrom}`;
          throw new DomainError(
            'validation_failed',
            `validFrom ${message}`,
            [
              {
                field: 'validFrom',
                message,
                code: 'not_a_specialization_date',
                params: { code: application.code, date: decision.validFrom },
              },
            ],
            {
              reason: 'specialization_not_in_catalogue',
              params: { code: application.code, validFrom: decision.validFrom },
            },
          );
        }
        const clash = await heldClash(
          tx,
          application.partnerId,
          application.code,
          decision.validFrom,
          OPEN_END,
        );
        if (clash) {
          const message = `the partner holds ${application.code} from ${isoDate(clash.validFrom)} (grant ${clash.id.toString()})`;
          throw new DomainError(
            'conflict',
            `Grant refused: ${message}`,
            [
              {
                field: 'validFrom',
                message,
                code: 'specialization_held',
                params: { since: isoDate(clash.validFrom) },
              },
            ],
            {
              reason: 'specialization_held',
              params: { code: application.code, validFrom: isoDate(clash.validFrom) },
            },
          );
        }
        const held = await tx.specialization.create({
          data: {
            partnerId: application.partnerId,
            code: entry.code,
            rate: entry.rate,
            serviceIds: entry.serviceIds,
            validFrom: dbDate(decision.validFrom),
          },
        });
        const decided = await tx.specializationApplication.update({
          where: { id: application.id },
          data: {
            status: 'granted',
            openKey: null,
            decidedBy: decision.actor,
            decidedAt: decision.at,
            decisionReason: decision.reason,
            specializationId: held.id,
          },
        });
        await audit(tx, {
          key: `${APPLICATION}:${application.id}:granted`,
          entityType: APPLICATION,
          entityId: application.id,
          actor: decision.actor,
          action: 'grant',
          from: 'open',
          to: 'granted',
          at: decision.at,
          details: {
            reason: decision.reason,
            specializationId: held.id.toString(),
            validFrom: decision.validFrom,
            rate: entry.rate,
            catalogueVersionFrom: entry.validFrom,
          },
        });
        return { application: applicationView(decided), specialization: heldView(held) };
      }, TX_OPTIONS);
    },

    /** Refuses an open application with the manager's reason, audited. */
    async refuse(decision: {
      applicationId: string;
      actor: string;
      reason: string;
      at: Date;
    }): Promise<ApplicationView> {
      return db.$transaction(async (tx) => {
        const application = await lockedApplication(tx, decision.applicationId);
        decide(application.status, 'refuse');
        const decided = await tx.specializationApplication.update({
          where: { id: application.id },
          data: {
            status: 'refused',
            openKey: null,
            decidedBy: decision.actor,
            decidedAt: decision.at,
            decisionReason: decision.reason,
          },
        });
        await audit(tx, {
          key: `${APPLICATION}:${application.id}:refused`,
          entityType: APPLICATION,
          entityId: application.id,
          actor: decision.actor,
          action: 'refuse',
          from: 'open',
          to: 'refused',
          at: decision.at,
          details: { reason: decision.reason },
        });
        return applicationView(decided);
      }, TX_OPTIONS);
    },

    async findHeld(id: string): Promise<HeldSpecializationView | null> {
      const row = await db.specialization.findUnique({ where: { id: BigInt(id) } });
      return row ? heldView(row) : null;
    },

    /**
     * Withdraws a grant: `validTo` becomes its last day held. The same day again changes
     * nothing (and is not audited again); an earlier one shortens it; a later one than an
     * ended grant's end is refused (409); the day after must be open (422). Audited with the
     * manager's reason.
     */
    async withdraw(decision: {
      specializationId: string;
      validTo: string;
      actor: string;
      reason: string | null;
      at: Date;
    }): Promise<HeldSpecializationView> {
      return db.$transaction(async (tx) => {
        const firstOpen = await lockFirstOpenDate(tx);
        const id = BigInt(decision.specializationId);
        await tx.$executeRaw`SELECT 1 FROM specializations WHERE id = ${id} FOR UPDATE`;
        const current = await tx.specialization.findUnique({ where: { id } });
        if (!current) {
          throw new DomainError('not_found', `No specialization ${decision.specializationId}`, [], {
            reason: 'specialization_not_found',
            params: { specializationId: decision.specializationId },
          });
        }
        const previous = current.validTo ? isoDate(current.validTo) : null;
        if (previous === decision.validTo) return heldView(current);
        if (previous !== null && decision.validTo > previous) {
          throw new DomainError(
            'invalid_state',
            `The specialization already ended on ${previous}; grant it again instead`,
            [],
            { reason: 'specialization_ended', params: { endDate: previous } },
          );
        }
        assertOpenEnd(decision.validTo, firstOpen, 'validTo');
        const updated = await tx.specialization.update({
          where: { id },
          data: { validTo: dbDate(decision.validTo) },
        });
        await audit(tx, {
          key: `${GRANT}:${id.toString()}:withdrawn:${decision.validTo}`,
          entityType: GRANT,
          entityId: id.toString(),
          actor: decision.actor,
          action: 'withdraw',
          from: previous === null ? 'held' : `held until ${previous}`,
          to: `held until ${decision.validTo}`,
          at: decision.at,
          details: {
            reason: decision.reason,
            validTo: decision.validTo,
            previousValidTo: previous,
          },
        });
        return heldView(updated);
      }, TX_OPTIONS);
    },
  };
}

export type SpecializationRepository = ReturnType<typeof createSpecializationRepository>;
