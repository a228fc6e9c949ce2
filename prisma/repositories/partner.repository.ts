import type { Program } from '../../domain/onboarding';
import type { Database } from '../client';
import { Prisma } from '../generated/client/client';

export interface NewPartner {
  id: string;
  organizationId: string;
  applicationId: string;
  name: string;
  inn: string | null;
  billingAccountId: string;
  taxationType: string;
  programs: Program[];
  /** Moscow calendar date, YYYY-MM-DD. */
  startDate: string;
  approvedBy: string;
}

export interface PartnerView {
  id: string;
  organizationId: string;
  name: string;
  inn: string | null;
  status: 'active' | 'leaving' | 'left' | 'revoked';
  startDate: string;
  /** First day without partner status, while leaving or after it ended. */
  exitDate: string | null;
  billingAccountId: string;
  memberships: { program: Program; startDate: string; endDate: string | null }[];
}

/**
 * What creating an application's partner came to: its partner (created now or by an earlier
 * attempt), or the partner another application already holds for the organization
 * (Partner.organizationId is unique: one partner record per organization, whatever its status).
 */
export type CreatePartnerOutcome =
  | { partnerId: string }
  | {
      organizationTakenBy: {
        partnerId: string;
        applicationId: string;
        status: PartnerView['status'];
      };
    };

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Partners and their program memberships. */
export function createPartnerRepository(db: Database) {
  type Row = NonNullable<
    Awaited<
      ReturnType<
        typeof db.partner.findUnique<{
          where: { id: string };
          include: { memberships: true };
        }>
      >
    >
  >;

  async function findBy(
    where: { id: string } | { organizationId: string },
  ): Promise<PartnerView | null> {
    const row = await db.partner.findUnique({
      where,
      include: { memberships: { orderBy: { id: 'asc' } } },
    });
    return row ? viewOf(row) : null;
  }

  /**
   * Ids of the partners whose name, INN or organization id contains the text, in any case.
   * The comparison uses the ICU root collation: the database's own may be "C", which folds
   * the case of Latin letters only, and partners' names are mostly Cyrillic.
   */
  async function matching(text: string): Promise<string[]> {
    const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM partners
      WHERE name ILIKE ${pattern} COLLATE "und-x-icu"
         OR inn LIKE ${pattern}
         OR organization_id ILIKE ${pattern} COLLATE "und-x-icu"`;
    return rows.map((row) => row.id);
  }

  function viewOf(row: Row): PartnerView {
    return {
      id: row.id,
      organizationId: row.organizationId,
      name: row.name,
      inn: row.inn,
      status: row.status,
      startDate: isoDate(row.startDate),
      exitDate: row.exitDate ? isoDate(row.exitDate) : null,
      billingAccountId: row.billingAccountId,
      memberships: row.memberships.map((m) => ({
        program: m.program,
        startDate: isoDate(m.startDate),
        endDate: m.endDate ? isoDate(m.endDate) : null,
      })),
    };
  }

  return {
    /**
     * Creates the partner of an approved application, once: a repeat returns the same partner.
     * When the organization already has a partner from another application nothing is written
     * and that partner is returned; so is one created by a concurrent attempt (the unique
     * constraints decide the race, then the rows are read again).
     */
    async createFromApplication(partner: NewPartner): Promise<CreatePartnerOutcome> {
      async function existing(): Promise<CreatePartnerOutcome | null> {
        const own = await db.partner.findUnique({
          where: { applicationId: partner.applicationId },
        });
        if (own) return { partnerId: own.id };
        const holder = await db.partner.findUnique({
          where: { organizationId: partner.organizationId },
        });
        if (!holder) return null;
        return {
          organizationTakenBy: {
            partnerId: holder.id,
            applicationId: holder.applicationId,
            status: holder.status,
          },
        };
      }
      const before = await existing();
      if (before) return before;
      const startDate = new Date(`${partner.startDate}T00:00:00Z`);
      try {
        const created = await db.$transaction(async (tx) => {
          const row = await tx.partner.create({
            data: {
              id: partner.id,
              organizationId: partner.organizationId,
              applicationId: partner.applicationId,
              name: partner.name,
              inn: partner.inn,
              billingAccountId: partner.billingAccountId,
              taxationType: partner.taxationType,
              startDate,
              approvedBy: partner.approvedBy,
            },
          });
          await tx.programMembership.createMany({
            data: partner.programs.map((program) => ({ partnerId: row.id, program, startDate })),
          });
          return row;
        });
        return { partnerId: created.id };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const after = await existing();
        if (after) return after;
        throw error;
      }
    },

    findById: (id: string) => findBy({ id }),

    /**
     * Partners by name for the managers' console: optionally of one status, and matching `q`
     * (a part of the name, INN or organization id, any case); a page of `limit` from
     * `offset`, with how many match in all.
     */
    async list(filter: {
      status?: PartnerView['status'];
      q?: string;
      limit: number;
      offset?: number;
    }): Promise<{ items: PartnerView[]; total: number }> {
      const q = filter.q?.trim();
      const where: Prisma.PartnerWhereInput = {
        ...(filter.status ? { status: filter.status } : {}),
        ...(q ? { id: { in: await matching(q) } } : {}),
      };
      const [rows, total] = await Promise.all([
        db.partner.findMany({
          where,
          include: { memberships: { orderBy: { id: 'asc' } } },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
          skip: filter.offset ?? 0,
          take: filter.limit,
        }),
        db.partner.count({ where }),
      ]);
      return { items: rows.map(viewOf), total };
    },
    findByOrganization: (organizationId: string) => findBy({ organizationId }),
  };
}

export type PartnerRepository = ReturnType<typeof createPartnerRepository>;
