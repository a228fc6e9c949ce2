import type { Program } from '../../domain/onboarding';
import type { Database } from '../client';

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

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

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
    /** Creates the partner of an approved application, once: a repeat returns the same partner. */
    async createFromApplication(partner: NewPartner): Promise<{ partnerId: string }> {
      const existing = await db.partner.findUnique({
        where: { applicationId: partner.applicationId },
      });
      if (existing) return { partnerId: existing.id };
      const startDate = new Date(`${partner.startDate}T00:00:00Z`);
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
    },

    findById: (id: string) => findBy({ id }),

    /** Partners by name, optionally of one status, for the managers' console. */
    async list(filter: { status?: PartnerView['status']; limit: number }): Promise<PartnerView[]> {
      const rows = await db.partner.findMany({
        where: filter.status ? { status: filter.status } : {},
        include: { memberships: { orderBy: { id: 'asc' } } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: filter.limit,
      });
      return rows.map(viewOf);
    },
    findByOrganization: (organizationId: string) => findBy({ organizationId }),
  };
}

export type PartnerRepository = ReturnType<typeof createPartnerRepository>;
