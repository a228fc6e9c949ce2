import { randomUUID } from 'node:crypto';
import { assertOpenDate, assertOpenEnd } from '../../domain/closed-period';
import { DomainError, fieldError } from '../../domain/errors';
import { formatMoney } from '../../domain/money';
import { projectsCollide, relativeBonus, type ProjectScope } from '../../domain/programs';
import { projectRebateWindow } from '../../domain/settlement';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';
import { lockFirstOpenDate } from './closed-period.repository';

/**
 * The VAR program's registrations (SPEC §2): a partner's customers (subaccounts of its own
 * billing account), deals that link a customer with an uplift rate, projects with a baseline,
 * specializations, and the partner bonus per month as the issued invoices record it. The
 * rules themselves are in domain/programs.ts; this file enforces the ones that need the
 * database, under locks. Every dated write first reads the first open date under the
 * month_closes lock and refuses a date in a closed month (domain/closed-period.ts).
 */
export interface CustomerView {
  id: string;
  name: string;
  inn: string | null;
  /** The partner's own billing account the subaccount belongs to. */
  parentId: string;
  createdAt: string;
}

export interface DealView {
  id: string;
  partnerId: string;
  customerAccountId: string;
  customerName: string | null;
  upliftRate: string;
  startDate: string;
  endDate: string | null;
  registeredBy: string;
  createdAt: string;
}

export interface ProjectView {
  id: string;
  partnerId: string;
  scope: ProjectScope;
  cloudId: string;
  folderId: string | null;
  baselineMonthly: string;
  rate: string;
  registeredOn: string;
  /** The 12 months whose growth earns the rebate. */
  rebateMonths: { first: string; last: string };
  registeredBy: string;
  createdAt: string;
}

export interface BonusMonth {
  month: string;
  discount: string;
  eligibleBase: string;
  /** discount ÷ eligibleBase with 4 decimals; null when the base is 0. */
  relative: string | null;
}

export interface NewDeal {
  partnerId: string;
  /** The partner's own billing account: the customer must be its subaccount. */
  ownAccountId: string;
  customerAccountId: string;
  upliftRate: string;
  startDate: string;
  endDate: string | null;
  registeredBy: string;
}

export interface NewProject {
  partnerId: string;
  scope: ProjectScope;
  cloudId: string;
  folderId: string | null;
  baselineMonthly: string;
  rate: string;
  registeredOn: string;
  registeredBy: string;
}

export interface SpecializationView {
  id: string;
  partnerId: string;
  code: string;
  rate: string;
  serviceIds: string[];
  validFrom: string;
  validTo: string | null;
}

export interface NewSpecialization {
  partnerId: string;
  code: string;
  rate: string;
  serviceIds: string[];
  validFrom: string;
  validTo: string | null;
  /** The manager who grants it, and why: recorded in audit_events with the grant. */
  grantedBy: string;
  reason: string | null;
}

type DealRow = Awaited<ReturnType<Database['deal']['findUniqueOrThrow']>>;
type ProjectRow = Awaited<ReturnType<Database['project']['findUniqueOrThrow']>>;
type AccountRow = Awaited<ReturnType<Database['billingAccount']['findUniqueOrThrow']>>;
type SpecializationRow = Awaited<ReturnType<Database['specialization']['findUniqueOrThrow']>>;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const dbDate = (d: string) => new Date(`${d}T00:00:00Z`);
/** The latest date Postgres and JS both hold: an open deal runs until then. */
const OPEN_END = '9999-12-31';
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

function customerView(row: AccountRow, parentId: string): CustomerView {
  return {
    id: row.id,
    name: row.name,
    inn: row.inn,
    parentId,
    createdAt: row.createdAt.toISOString(),
  };
}

function dealView(row: DealRow, customerName: string | null): DealView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    customerAccountId: row.customerAccountId,
    customerName,
    upliftRate: row.upliftRate.toString(),
    startDate: isoDate(row.startDate),
    endDate: row.endDate ? isoDate(row.endDate) : null,
    registeredBy: row.registeredBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function projectView(row: ProjectRow): ProjectView {
  const registeredOn = isoDate(row.registeredOn);
  const window = projectRebateWindow(registeredOn);
  return {
    id: row.id,
    partnerId: row.partnerId,
    scope: row.scope,
    cloudId: row.cloudId,
    folderId: row.folderId,
    baselineMonthly: row.baselineMonthly.toFixed(2),
    rate: row.rate.toString(),
    registeredOn,
    rebateMonths: { first: window.firstMonth, last: window.lastMonth },
    registeredBy: row.registeredBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A held specialization as the API shows it (also used by the specialization repository). */
export function specializationView(row: SpecializationRow): SpecializationView {
  return {
    id: row.id.toString(),
    partnerId: row.partnerId,
    code: row.code,
    rate: row.rate.toString(),
    serviceIds: row.serviceIds,
    validFrom: isoDate(row.validFrom),
    validTo: row.validTo ? isoDate(row.validTo) : null,
  };
}

async function lock(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

export function createProgramRepository(db: Database) {
  async function customerNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await db.billingAccount.findMany({
      where: { id: { in: [...new Set(ids)] } },
      select: { id: true, name: true },
    });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async function findDeal(dealId: string): Promise<DealView | null> {
    const row = await db.deal.findUnique({ where: { id: dealId } });
    if (!row) return null;
    const names = await customerNames([row.customerAccountId]);
    return dealView(row, names.get(row.customerAccountId) ?? null);
  }

  return {
    /** The partner's customers: the subaccounts of its own billing account, oldest first. */
    async customersOf(ownAccountId: string): Promise<CustomerView[]> {
      const rows = await db.billingAccount.findMany({
        where: { parentId: ownAccountId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => customerView(row, ownAccountId));
    },

    /**
     * Opens a customer subaccount under the partner's own account: a resident business paying
     * by invoice, with an organization of its own (the customer is a company of its own, so
     * its account never shows among the partner's accounts).
     */
    async createCustomer(input: {
      ownAccountId: string;
      name: string;
      inn: string | null;
    }): Promise<CustomerView> {
      const id = `cust-${randomUUID()}`;
      const row = await db.billingAccount.create({
        data: {
          id,
          organizationId: `org-${id}`,
          name: input.name,
          country: 'RU',
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
          inn: input.inn,
          parentId: input.ownAccountId,
        },
      });
      return customerView(row, input.ownAccountId);
    },

    /**
     * Registers a deal. Under the customer's lock: the customer must be a subaccount of the
     * partner's own account (else a validation problem on customerAccountId), and no deal of
     * another partner may link the same customer on any of the same days (a conflict).
     * Overlapping deals of the same partner are allowed: the settlement applies the highest rate.
     * A start in a closed month is refused (422 on startDate).
     */
    async registerDeal(deal: NewDeal): Promise<DealView> {
      return db.$transaction(async (tx) => {
        assertOpenDate(deal.startDate, await lockFirstOpenDate(tx), 'startDate');
        await lock(tx, `deal-customer:${deal.customerAccountId}`);
        const customer = await tx.billingAccount.findUnique({
          where: { id: deal.customerAccountId },
        });
        if (!customer || customer.parentId !== deal.ownAccountId) {
          throw fieldError(
            'customerAccountId',
            `${deal.customerAccountId} is not a customer of this partner: a deal links one of ` +
              `the subaccounts of the partner's own billing account ${deal.ownAccountId}`,
            'not_your_customer',
          );
        }
        const clash = await tx.deal.findFirst({
          where: {
            customerAccountId: deal.customerAccountId,
            partnerId: { not: deal.partnerId },
            startDate: { lte: dbDate(deal.endDate ?? OPEN_END) },
            OR: [{ endDate: null }, { endDate: { gte: dbDate(deal.startDate) } }],
          },
          orderBy: { startDate: 'asc' },
        });
        if (clash) {
          const until = clash.endDate ? `until ${isoDate(clash.endDate)}` : 'with no end date';
          const message =
            `the customer is linked to another partner by deal ${clash.id} from ` +
            `${isoDate(clash.startDate)} ${until}; end that deal first or start this one later`;
          throw new DomainError(
            'conflict',
            `Deal refused: ${message}`,
            [{ field: 'customerAccountId', message, code: 'conflicts' }],
            {
              reason: 'deal_customer_linked',
              params: { dealId: clash.id, from: isoDate(clash.startDate) },
            },
          );
        }
        const row = await tx.deal.create({
          data: {
            id: randomUUID(),
            partnerId: deal.partnerId,
            customerAccountId: deal.customerAccountId,
            upliftRate: deal.upliftRate,
            startDate: dbDate(deal.startDate),
            endDate: deal.endDate ? dbDate(deal.endDate) : null,
            registeredBy: deal.registeredBy,
          },
        });
        return dealView(row, customer.name);
      }, TX_OPTIONS);
    },

    findDeal,

    /**
     * Ends a deal on `endDate` (its last linked day). Only ever shortens the link: the update
     * applies while the deal is open or ends later, and never before its start; otherwise it
     * returns null and changes nothing. The same end again changes nothing; any other end
     * must leave the closed months as they were (422 on endDate).
     */
    async endDeal(dealId: string, endDate: string): Promise<DealView | null> {
      const end = dbDate(endDate);
      const updated = await db.$transaction(async (tx) => {
        const firstOpen = await lockFirstOpenDate(tx);
        const current = await tx.deal.findUnique({ where: { id: dealId } });
        if (current?.endDate && isoDate(current.endDate) === endDate) return 1;
        assertOpenEnd(endDate, firstOpen, 'endDate');
        const result = await tx.deal.updateMany({
          where: {
            id: dealId,
            startDate: { lte: end },
            OR: [{ endDate: null }, { endDate: { gte: end } }],
          },
          data: { endDate: end },
        });
        return result.count;
      }, TX_OPTIONS);
      if (updated === 0) return null;
      return findDeal(dealId);
    },

    /** The partner's deals, latest start first. */
    async dealsOf(partnerId: string): Promise<DealView[]> {
      const rows = await db.deal.findMany({
        where: { partnerId },
        orderBy: [{ startDate: 'desc' }, { createdAt: 'desc' }],
      });
      const names = await customerNames(rows.map((r) => r.customerAccountId));
      return rows.map((r) => dealView(r, names.get(r.customerAccountId) ?? null));
    },

    /**
     * Registers a project. Under the partner-and-cloud lock it refuses (conflict) a project
     * that would be paid twice for the same growth: the same cloud, or the same folder, or a
     * folder inside a registered cloud, with rebate windows that overlap. A registration dated
     * in a closed month is refused (422 on registeredOn).
     */
    async registerProject(project: NewProject): Promise<ProjectView> {
      return db.$transaction(async (tx) => {
        assertOpenDate(project.registeredOn, await lockFirstOpenDate(tx), 'registeredOn');
        await lock(tx, `project:${project.partnerId}:${project.cloudId}`);
        const sameCloud = await tx.project.findMany({
          where: { partnerId: project.partnerId, cloudId: project.cloudId },
          orderBy: { registeredOn: 'asc' },
        });
        const clash = sameCloud.find((p) =>
          projectsCollide(project, {
            scope: p.scope,
            cloudId: p.cloudId,
            folderId: p.folderId,
            registeredOn: isoDate(p.registeredOn),
          }),
        );
        if (clash) {
          const where = clash.folderId ? `folder ${clash.folderId}` : `the whole cloud`;
          const message =
            `project ${clash.id} (${where} of cloud ${clash.cloudId}, registered on ` +
            `${isoDate(clash.registeredOn)}) already earns a rebate on this consumption in ` +
            `overlapping months`;
          throw new DomainError(
            'conflict',
            `Project refused: ${message}`,
            [
              {
                field: project.scope === 'folder' ? 'folderId' : 'cloudId',
                message,
                code: 'conflicts',
              },
            ],
            { reason: 'project_overlaps' },
          );
        }
        const row = await tx.project.create({
          data: {
            id: randomUUID(),
            partnerId: project.partnerId,
            scope: project.scope,
            cloudId: project.cloudId,
            folderId: project.folderId,
            baselineMonthly: project.baselineMonthly,
            rate: project.rate,
            registeredOn: dbDate(project.registeredOn),
            registeredBy: project.registeredBy,
          },
        });
        return projectView(row);
      }, TX_OPTIONS);
    },

    /** The partner's projects, latest registration first. */
    async projectsOf(partnerId: string): Promise<ProjectView[]> {
      const rows = await db.project.findMany({
        where: { partnerId },
        orderBy: [{ registeredOn: 'desc' }, { createdAt: 'desc' }],
      });
      return rows.map(projectView);
    },

    /**
     * Grants a specialization from `validFrom`. Under the partner-and-code lock it refuses
     * (conflict) a grant of the same specialization on days the partner already holds it,
     * which would credit its rebate twice. A first day in a closed month is refused (422).
     * The grant is audited with the manager and reason in the same transaction.
     */
    async grantSpecialization(grant: NewSpecialization): Promise<SpecializationView> {
      return db.$transaction(async (tx) => {
        assertOpenDate(grant.validFrom, await lockFirstOpenDate(tx), 'validFrom');
        await lock(tx, `specialization:${grant.partnerId}:${grant.code}`);
        const clash = await tx.specialization.findFirst({
          where: {
            partnerId: grant.partnerId,
            code: grant.code,
            validFrom: { lte: dbDate(grant.validTo ?? OPEN_END) },
            OR: [{ validTo: null }, { validTo: { gte: dbDate(grant.validFrom) } }],
          },
          orderBy: { validFrom: 'asc' },
        });
        if (clash) {
          const until = clash.validTo ? `until ${isoDate(clash.validTo)}` : 'with no end date';
          const message =
            `the partner holds ${grant.code} from ${isoDate(clash.validFrom)} ${until} ` +
            `(grant ${clash.id}); withdraw it first or start this grant later`;
          throw new DomainError(
            'conflict',
            `Specialization refused: ${message}`,
            [{ field: 'validFrom', message, code: 'conflicts' }],
            {
              reason: 'specialization_held',
              params: { code: grant.code, validFrom: isoDate(clash.validFrom) },
            },
          );
        }
        const row = await tx.specialization.create({
          data: {
            partnerId: grant.partnerId,
            code: grant.code,
            rate: grant.rate,
            serviceIds: grant.serviceIds,
            validFrom: dbDate(grant.validFrom),
            validTo: grant.validTo ? dbDate(grant.validTo) : null,
          },
        });
        await tx.auditEvent.create({
          data: {
            idempotencyKey: `specialization:${row.id.toString()}:granted`,
            entityType: 'specialization',
            entityId: row.id.toString(),
            actor: grant.grantedBy,
            action: 'grant',
            fromState: null,
            toState: grant.validTo ? `held until ${grant.validTo}` : 'held',
            details: {
              reason: grant.reason,
              code: grant.code,
              rate: grant.rate,
              validFrom: grant.validFrom,
              direct: true,
            },
            occurredAt: new Date(),
          },
        });
        return specializationView(row);
      }, TX_OPTIONS);
    },

    /** The partner's specializations, latest first day first. */
    async specializationsOf(partnerId: string): Promise<SpecializationView[]> {
      const rows = await db.specialization.findMany({
        where: { partnerId },
        orderBy: [{ validFrom: 'desc' }, { id: 'desc' }],
      });
      return rows.map(specializationView);
    },

    /**
     * The partner bonus per reporting month, newest first, from the issued invoices: months
     * with a month-end invoice, summing it with the month's interim invoices (each carries the
     * discount and eligible base of the consumption it billed). At most `months` months.
     */
    async bonusByMonth(partnerId: string, months: number): Promise<BonusMonth[]> {
      const rows = await db.$queryRaw<{ month: string; discount: string; eligible: string }[]>`
        SELECT month,
               sum(discount_total)::text AS discount,
               sum(eligible_base)::text AS eligible
          FROM invoices
         WHERE partner_id = ${partnerId}::uuid
         GROUP BY month
        HAVING bool_or(kind = 'monthly')
         ORDER BY month DESC
         LIMIT ${months}::int`;
      return rows.map((r) => ({
        month: r.month,
        discount: formatMoney(r.discount),
        eligibleBase: formatMoney(r.eligible),
        relative: relativeBonus(r.discount, r.eligible),
      }));
    },
  };
}

export type ProgramRepository = ReturnType<typeof createProgramRepository>;
