import { assertOpenDate } from '../../domain/closed-period';
import { DomainError } from '../../domain/errors';
import { projectsCollide } from '../../domain/programs';
import type { RegistrationKind, RegistrationStatus } from '../../domain/registrations';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';
import { lockFirstOpenDate } from './closed-period.repository';

/**
 * Registrations of deals and projects by partners, their audit, and the Deal and Project rows
 * an approval creates. Reads and writes only: the rules are domain/registrations.ts. The
 * first-registration-wins rule is the exclusion constraint registrations_one_live_claim.
 */
export interface RegistrationView {
  id: string;
  partnerId: string;
  kind: RegistrationKind;
  status: RegistrationStatus;
  customerAccountId: string | null;
  customerInn: string | null;
  customerName: string | null;
  expectedMonthlyConsumption: string | null;
  scope: 'cloud' | 'folder' | null;
  cloudId: string | null;
  folderId: string | null;
  expectedGrowth: string | null;
  baselineDefault: string | null;
  description: string;
  submittedBy: string;
  submittedAt: string;
  reviewDeadline: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  upliftRate: string | null;
  rate: string | null;
  baselineMonthly: string | null;
  startDate: string | null;
  endDate: string | null;
  renewalOf: string | null;
}

export interface RegistrationEventView {
  actor: string;
  at: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
}

export interface NewRegistration {
  id: string;
  partnerId: string;
  kind: RegistrationKind;
  customerAccountId: string | null;
  customerInn: string | null;
  customerName: string | null;
  claimKey: string | null;
  expectedMonthly: string | null;
  scope: 'cloud' | 'folder' | null;
  cloudId: string | null;
  folderId: string | null;
  expectedGrowth: string | null;
  baselineDefault: string | null;
  description: string;
  /** Deal: the first day the partner wants linked; the link never starts before approval. */
  startDate: string | null;
  submittedBy: string;
  submittedAt: string;
  renewalOf: string | null;
}

export interface Approval {
  registrationId: string;
  decidedBy: string;
  decidedAt: string;
  /** The first linked day (deal) or the registration date (project). */
  startDate: string;
  /** Deal: the last linked day. */
  endDate: string | null;
  upliftRate: string | null;
  rate: string | null;
  /** Project: the manager's baseline; null keeps the three-month average. */
  baselineMonthly: string | null;
}

type Row = Awaited<ReturnType<Database['registration']['findUniqueOrThrow']>>;
type Tx = Prisma.TransactionClient;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const dbDate = (d: string) => new Date(`${d}T00:00:00Z`);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

function view(row: Row): RegistrationView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    kind: row.kind,
    status: row.status,
    customerAccountId: row.customerAccountId,
    customerInn: row.customerInn,
    customerName: row.customerName,
    expectedMonthlyConsumption: row.expectedMonthly ? row.expectedMonthly.toFixed(2) : null,
    scope: row.scope,
    cloudId: row.cloudId,
    folderId: row.folderId,
    expectedGrowth: row.expectedGrowth,
    baselineDefault: row.baselineDefault ? row.baselineDefault.toFixed(2) : null,
    description: row.description,
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt.toISOString(),
    reviewDeadline: iso(row.reviewDeadline),
    remindedAt: iso(row.remindedAt),
    escalatedAt: iso(row.escalatedAt),
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
    reason: row.reason,
    upliftRate: row.upliftRate ? row.upliftRate.toString() : null,
    rate: row.rate ? row.rate.toString() : null,
    baselineMonthly: row.baseline ? row.baseline.toFixed(2) : null,
    startDate: row.startDate ? isoDate(row.startDate) : null,
    endDate: row.endDate ? isoDate(row.endDate) : null,
    renewalOf: row.renewalOf,
  };
}

/** The exclusion constraint's violation: another live claim on the same customer. */
function isClaimTaken(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : '';
  return text.includes('registrations_one_live_claim') || text.includes('23P01');
}

/** The refusal never says who holds the customer. */
export const CUSTOMER_TAKEN =
  'the customer already has a pending or active registration; the first registration wins';

async function event(
  tx: Tx,
  key: string,
  e: {
    registrationId: string;
    actor: string;
    at: string;
    from: RegistrationStatus | null;
    to: string;
    reason?: string | null;
  },
): Promise<void> {
  await tx.registrationEvent.upsert({
    where: { eventKey: key },
    create: {
      eventKey: key,
      registrationId: e.registrationId,
      actor: e.actor,
      at: new Date(e.at),
      fromStatus: e.from,
      toStatus: e.to,
      reason: e.reason ?? null,
    },
    update: {},
  });
}

export function createRegistrationRepository(db: Database) {
  async function find(id: string): Promise<RegistrationView | null> {
    const row = await db.registration.findUnique({ where: { id } });
    return row ? view(row) : null;
  }

  return {
    find,

    /** A subaccount by id, with the account it belongs to. */
    async account(id: string) {
      const row = await db.billingAccount.findUnique({
        where: { id },
        select: { id: true, name: true, inn: true, parentId: true },
      });
      return row;
    },

    /** Whether a cloud (or one of its folders) has consumption of the partner's customers. */
    async isCustomersCloud(
      ownAccountId: string,
      cloudId: string,
      folderId: string | null,
    ): Promise<boolean> {
      const rows = await db.$queryRaw<{ found: boolean }[]>`
        SELECT EXISTS (
          SELECT 1 FROM consumption_lines l JOIN billing_accounts a ON a.id = l.billing_account_id
           WHERE a.parent_id = ${ownAccountId} AND l.cloud_id = ${cloudId}
             AND (${folderId}::text IS NULL OR l.folder_id = ${folderId}::text)) AS found`;
      return rows[0]?.found ?? false;
    },

    /** The consumption in a cloud (or folder) on usage dates in [from, to), VAT included. */
    async consumptionTotal(
      cloudId: string,
      folderId: string | null,
      from: string,
      to: string,
    ): Promise<string> {
      const rows = await db.$queryRaw<{ total: string }[]>`
        SELECT COALESCE(sum(amount), 0)::text AS total FROM consumption_lines
         WHERE cloud_id = ${cloudId}
           AND (${folderId}::text IS NULL OR folder_id = ${folderId}::text)
           AND usage_date >= ${from}::date AND usage_date < ${to}::date`;
      return rows[0]?.total ?? '0';
    },

    /**
     * Whether another partner's deal (registered by a manager or approved) links the customer
     * (the account, or any account with the INN) on `from` or later.
     */
    async heldByAnotherPartner(
      partnerId: string,
      customer: { accountId: string | null; inn: string | null },
      from: string,
    ): Promise<boolean> {
      const rows = await db.$queryRaw<{ held: boolean }[]>`
        SELECT EXISTS (
          SELECT 1 FROM deals d JOIN billing_accounts a ON a.id = d.customer_account_id
           WHERE d.partner_id <> ${partnerId}::uuid
             AND (d.end_date IS NULL OR d.end_date >= ${from}::date)
             AND (d.customer_account_id = ${customer.accountId}::text
                  OR (${customer.inn}::text IS NOT NULL AND a.inn = ${customer.inn}::text))
        ) AS held`;
      return rows[0]?.held ?? false;
    },

    /**
     * Stores a pending registration and its first audit event. A deal's start in a closed
     * month is refused (422 naming the first open date); a customer with another live claim
     * is refused (409) by the exclusion constraint, whoever inserted first.
     */
    async submit(r: NewRegistration): Promise<RegistrationView> {
      try {
        return await db.$transaction(async (tx) => {
          const firstOpen = await lockFirstOpenDate(tx);
          if (r.startDate) assertOpenDate(r.startDate, firstOpen, 'startDate');
          const row = await tx.registration.create({
            data: {
              id: r.id,
              partnerId: r.partnerId,
              kind: r.kind,
              customerAccountId: r.customerAccountId,
              customerInn: r.customerInn,
              customerName: r.customerName,
              claimKey: r.claimKey,
              expectedMonthly: r.expectedMonthly,
              scope: r.scope,
              cloudId: r.cloudId,
              folderId: r.folderId,
              expectedGrowth: r.expectedGrowth,
              baselineDefault: r.baselineDefault,
              description: r.description,
              startDate: r.startDate ? dbDate(r.startDate) : null,
              submittedBy: r.submittedBy,
              submittedAt: new Date(r.submittedAt),
              renewalOf: r.renewalOf,
            },
          });
          await event(tx, `${r.id}:submitted`, {
            registrationId: r.id,
            actor: r.submittedBy,
            at: r.submittedAt,
            from: null,
            to: 'pending',
            reason: r.renewalOf ? `renewal of ${r.renewalOf}` : null,
          });
          return view(row);
        }, TX_OPTIONS);
      } catch (error) {
        if (isClaimTaken(error)) {
          const field = r.kind === 'deal' ? 'customer' : 'cloudId';
          throw new DomainError(
            'conflict',
            `Registration refused: ${CUSTOMER_TAKEN}`,
            [{ field, message: CUSTOMER_TAKEN, code: 'customer_taken' }],
            { reason: 'customer_taken' },
          );
        }
        throw error;
      }
    },

    /** Records the review window the workflow computed. */
    async setReviewWindow(id: string, deadline: string, reminderAt: string): Promise<void> {
      await db.registration.update({
        where: { id },
        data: { reviewDeadline: new Date(deadline), reminderAt: new Date(reminderAt) },
      });
    },

    async markReminded(id: string, at: string): Promise<void> {
      await db.registration.updateMany({
        where: { id, remindedAt: null },
        data: { remindedAt: new Date(at) },
      });
    },

    /** The deadline passed without a decision: recorded and audited, still pending. */
    async markEscalated(id: string, at: string): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.registration.updateMany({
          where: { id, escalatedAt: null },
          data: { escalatedAt: new Date(at) },
        });
        await event(tx, `${id}:escalated`, {
          registrationId: id,
          actor: 'system',
          at,
          from: 'pending',
          to: 'pending',
          reason: 'escalated: the review deadline passed',
        });
      }, TX_OPTIONS);
    },

    /**
     * Approves a pending registration and creates its Deal or Project row (id = the
     * registration's id, so a retried approval creates nothing twice). A prospective customer
     * is opened as a subaccount of the partner (id cust-reg-<registration>). The start must be
     * in an open month. An approved registration is returned as it is.
     */
    async approve(a: Approval): Promise<RegistrationView> {
      return db.$transaction(async (tx) => {
        const firstOpen = await lockFirstOpenDate(tx);
        const row = await tx.registration.findUnique({ where: { id: a.registrationId } });
        if (!row)
          throw new DomainError('not_found', `No registration ${a.registrationId}`, [], {
            reason: 'registration_not_found',
            params: { registrationId: a.registrationId },
          });
        if (row.status === 'approved') return view(row);
        if (row.status !== 'pending') {
          throw new DomainError('invalid_state', `The registration is ${row.status}`, [], {
            reason: 'registration_status_forbids',
            params: { status: row.status },
          });
        }
        assertOpenDate(a.startDate, firstOpen, 'startDate');
        const baseline =
          row.kind === 'project'
            ? (a.baselineMonthly ?? row.baselineDefault?.toFixed(2) ?? '0')
            : null;
        let accountId = row.customerAccountId;
        if (row.kind === 'deal') {
          if (accountId === null) {
            accountId = `cust-reg-${row.id}`;
            await tx.billingAccount.upsert({
              where: { id: accountId },
              create: {
                id: accountId,
                organizationId: `org-${accountId}`,
                name: row.customerName ?? row.customerInn ?? accountId,
                country: 'RU',
                type: 'business',
                ownerResident: true,
                paymentMethod: 'invoice',
                inn: row.customerInn,
                parentId: (
                  await tx.partner.findUniqueOrThrow({
                    where: { id: row.partnerId },
                    select: { billingAccountId: true },
                  })
                ).billingAccountId,
              },
              update: {},
            });
          }
          await tx.deal.upsert({
            where: { id: row.id },
            create: {
              id: row.id,
              partnerId: row.partnerId,
              customerAccountId: accountId,
              upliftRate: a.upliftRate ?? '0',
              startDate: dbDate(a.startDate),
              endDate: a.endDate ? dbDate(a.endDate) : null,
              registeredBy: a.decidedBy,
            },
            update: {},
          });
        } else {
          const others = await tx.project.findMany({
            where: { partnerId: row.partnerId, cloudId: row.cloudId ?? '' },
          });
          const place = {
            scope: row.scope ?? 'cloud',
            cloudId: row.cloudId ?? '',
            folderId: row.folderId,
            registeredOn: a.startDate,
          };
          const clash = others.find(
            (p) =>
              p.id !== row.id &&
              projectsCollide(place, {
                scope: p.scope,
                cloudId: p.cloudId,
                folderId: p.folderId,
                registeredOn: isoDate(p.registeredOn),
              }),
          );
          if (clash) {
            throw new DomainError(
              'conflict',
              'A registered project already earns a rebate on this consumption in overlapping months',
              [
                {
                  field: 'cloudId',
                  message: 'overlaps a registered project',
                  code: 'project_overlaps',
                },
              ],
              { reason: 'project_overlaps' },
            );
          }
          await tx.project.upsert({
            where: { id: row.id },
            create: {
              id: row.id,
              partnerId: row.partnerId,
              scope: row.scope ?? 'cloud',
              cloudId: row.cloudId ?? '',
              folderId: row.folderId,
              baselineMonthly: baseline ?? '0',
              rate: a.rate ?? '0',
              registeredOn: dbDate(a.startDate),
              registeredBy: a.decidedBy,
            },
            update: {},
          });
        }
        const updated = await tx.registration.update({
          where: { id: row.id },
          data: {
            status: 'approved',
            customerAccountId: accountId,
            decidedBy: a.decidedBy,
            decidedAt: new Date(a.decidedAt),
            upliftRate: a.upliftRate,
            rate: a.rate,
            baseline,
            startDate: dbDate(a.startDate),
            endDate: a.endDate ? dbDate(a.endDate) : null,
            dealId: row.kind === 'deal' ? row.id : null,
            projectId: row.kind === 'project' ? row.id : null,
          },
        });
        await event(tx, `${row.id}:approved`, {
          registrationId: row.id,
          actor: a.decidedBy,
          at: a.decidedAt,
          from: 'pending',
          to: 'approved',
          reason:
            row.kind === 'deal'
              ? `uplift ${a.upliftRate} until ${a.endDate}`
              : `rate ${a.rate}, baseline ${baseline}`,
        });
        return view(updated);
      }, TX_OPTIONS);
    },

    /** Rejects a pending registration with the manager's reason; the claim is released. */
    async reject(r: {
      registrationId: string;
      decidedBy: string;
      decidedAt: string;
      reason: string;
    }): Promise<RegistrationView> {
      return db.$transaction(async (tx) => {
        const row = await tx.registration.findUnique({ where: { id: r.registrationId } });
        if (!row)
          throw new DomainError('not_found', `No registration ${r.registrationId}`, [], {
            reason: 'registration_not_found',
            params: { registrationId: r.registrationId },
          });
        if (row.status === 'rejected') return view(row);
        if (row.status !== 'pending') {
          throw new DomainError('invalid_state', `The registration is ${row.status}`, [], {
            reason: 'registration_status_forbids',
            params: { status: row.status },
          });
        }
        const updated = await tx.registration.update({
          where: { id: row.id },
          data: {
            status: 'rejected',
            decidedBy: r.decidedBy,
            decidedAt: new Date(r.decidedAt),
            reason: r.reason,
          },
        });
        await event(tx, `${row.id}:rejected`, {
          registrationId: row.id,
          actor: r.decidedBy,
          at: r.decidedAt,
          from: 'pending',
          to: 'rejected',
          reason: r.reason,
        });
        return view(updated);
      }, TX_OPTIONS);
    },

    /** The deal's term ended: the registration expires and its claim is released. */
    async expire(id: string, at: string): Promise<RegistrationView> {
      return db.$transaction(async (tx) => {
        await tx.registration.updateMany({
          where: { id, status: 'approved' },
          data: { status: 'expired' },
        });
        await event(tx, `${id}:expired`, {
          registrationId: id,
          actor: 'system',
          at,
          from: 'approved',
          to: 'expired',
          reason: 'the deal term ended',
        });
        return view(await tx.registration.findUniqueOrThrow({ where: { id } }));
      }, TX_OPTIONS);
    },

    /** A renewal before expiry: the deal and its registration run until `endDate`. */
    async extend(r: {
      registrationId: string;
      endDate: string;
      requestedBy: string;
      at: string;
    }): Promise<RegistrationView> {
      return db.$transaction(async (tx) => {
        const row = await tx.registration.findUnique({ where: { id: r.registrationId } });
        if (!row || row.status !== 'approved' || row.kind !== 'deal') {
          throw new DomainError(
            'invalid_state',
            'Only an approved, unexpired deal is extended',
            [],
            { reason: 'deal_not_extendable' },
          );
        }
        await tx.registration.update({
          where: { id: row.id },
          data: { endDate: dbDate(r.endDate) },
        });
        await tx.deal.update({ where: { id: row.id }, data: { endDate: dbDate(r.endDate) } });
        await event(tx, `${row.id}:renewed:${r.endDate}`, {
          registrationId: row.id,
          actor: r.requestedBy,
          at: r.at,
          from: 'approved',
          to: 'approved',
          reason: `renewed until ${r.endDate}`,
        });
        return view(await tx.registration.findUniqueOrThrow({ where: { id: row.id } }));
      }, TX_OPTIONS);
    },

    /** A partner's registrations, newest first. */
    async ofPartner(partnerId: string): Promise<RegistrationView[]> {
      const rows = await db.registration.findMany({
        where: { partnerId },
        orderBy: [{ submittedAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(view);
    },

    /** Registrations in a status, nearest review deadline first. */
    async withStatus(status: RegistrationStatus, limit: number): Promise<RegistrationView[]> {
      const rows = await db.registration.findMany({
        where: { status },
        orderBy: [{ reviewDeadline: { sort: 'asc', nulls: 'last' } }, { submittedAt: 'asc' }],
        take: limit,
      });
      return rows.map(view);
    },

    /**
     * Pending deals and projects for the manager's review queue, nearest deadline first (those
     * whose review has not started yet, so have no deadline, after them), at most `limit`,
     * with the registering partner's name.
     */
    async pendingForReview(
      limit: number,
    ): Promise<(RegistrationView & { partnerName: string | null })[]> {
      const rows = await this.withStatus('pending', limit);
      const partners = await db.partner.findMany({
        where: { id: { in: [...new Set(rows.map((row) => row.partnerId))] } },
        select: { id: true, name: true },
      });
      const names = new Map(partners.map((p) => [p.id, p.name]));
      return rows.map((row) => ({ ...row, partnerName: names.get(row.partnerId) ?? null }));
    },

    async events(id: string): Promise<RegistrationEventView[]> {
      const rows = await db.registrationEvent.findMany({
        where: { registrationId: id },
        orderBy: { id: 'asc' },
      });
      return rows.map((e) => ({
        actor: e.actor,
        at: e.at.toISOString(),
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        reason: e.reason,
      }));
    },
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;
