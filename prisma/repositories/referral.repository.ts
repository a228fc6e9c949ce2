import { randomBytes, randomUUID } from 'node:crypto';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import { assertOpenDate } from '../../domain/closed-period';
import { DomainError } from '../../domain/errors';
import { addMonths, firstDayOf } from '../../domain/settlement/dates';
import type { ReferralConsumption, ReferralStatement } from '../../domain/referral';
import type { RateSchedule } from '../../domain/settlement';
import type { Database } from '../client';
import { Prisma } from '../generated/client/client';
import { lockFirstOpenDate } from './closed-period.repository';
import { committedWatermark } from './consumption.repository';
import { exitMonthOf } from '../../domain/lifecycle';
import type { ClosePlan } from './settlement.repository';

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

/** A referral code: 10 characters of an alphabet without look-alikes (0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
function newCode(): string {
  const bytes = randomBytes(10);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

const monthStart = firstDayOf;
const nextMonthStart = (month: string) => firstDayOf(addMonths(month, 1));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export interface SignupEvent {
  referralCode: string;
  customer: {
    accountId: string;
    organizationId: string;
    name: string;
    type: 'business' | 'individual_entrepreneur' | 'individual';
  };
  signedUpAt: Date;
  actor: string;
}

export interface AttributionView {
  customerAccountId: string;
  customerName: string | null;
  partnerId: string;
  referralCode: string;
  signedUpAt: string;
  startDate: string;
  endDate: string | null;
}

export interface CommissionPartner {
  partnerId: string;
  ownAccountId: string;
  /** Set once the partner left or was revoked: the first day without status. */
  exitDate: string | null;
}

export interface CommissionBasis {
  /** Lines of the month numbered up to here were covered by the final statement. */
  coveredUpTo: string;
  finalStatementId: string | null;
}

export interface IssuedStatement {
  statementId: string;
  number: string;
  created: boolean;
  total: string;
}

type StatementRow = Awaited<ReturnType<Database['commissionStatement']['findUniqueOrThrow']>>;

function statementSummary(row: StatementRow) {
  return {
    id: row.id,
    number: row.number,
    partnerId: row.partnerId,
    month: row.month,
    kind: row.kind,
    issuedAt: row.issuedAt.toISOString(),
    baseTotal: row.baseTotal.toString(),
    total: row.total.toFixed(2),
    payout: { bik: row.payoutBik, account: row.payoutAcct },
  };
}

/**
 * The referral program (SPEC §3): links, attributions (recorded once, audited) and the
 * commission statements the month close and the final settlement issue.
 */
export function createReferralRepository(db: Database) {
  async function rateSchedule(): Promise<RateSchedule> {
    const terms = await db.programTerm.findMany({
      where: { kind: 'referral_commission_rate' },
      orderBy: { effectiveFrom: 'asc' },
    });
    return terms.map((t) => ({ from: isoDate(t.effectiveFrom), rate: t.rate.toString() }));
  }

  async function basisOf(
    partnerId: string,
    month: string,
    client: Tx | Database = db,
  ): Promise<CommissionBasis> {
    const final = await client.commissionStatement.findUnique({
      where: { partnerId_month_kind: { partnerId, month, kind: 'final' } },
    });
    return {
      coveredUpTo: (final?.seqTo ?? 0n).toString(),
      finalStatementId: final?.id ?? null,
    };
  }

  /**
   * Paid consumption of the partner's referred customers, per customer and month, within
   * each attribution's dates: the month's lines numbered in (coveredUpTo, watermark] and,
   * with `previousWatermark`, earlier months' lines that arrived after it.
   */
  async function consumption(
    partnerId: string,
    month: string,
    watermark: string,
    coveredUpTo: string,
    previousWatermark: string | null,
  ): Promise<ReferralConsumption[]> {
    const rows = await db.$queryRaw<
      { customer: string; for_month: string; amount: Prisma.Decimal; grants: Prisma.Decimal }[]
    >`
      SELECT cl.billing_account_id AS customer, to_char(cl.usage_date, 'YYYY-MM') AS for_month,
             sum(cl.amount) AS amount, sum(cl.grant_amount) AS grants
        FROM referral_attributions a
        JOIN consumption_lines cl ON cl.billing_account_id = a.customer_account_id
       WHERE a.partner_id = ${partnerId}::uuid
         AND cl.usage_date >= a.start_date
         AND (a.end_date IS NULL OR cl.usage_date <= a.end_date)
         AND cl.seq <= ${BigInt(watermark)}
         AND ((cl.usage_date >= ${monthStart(month)}::date AND cl.usage_date < ${nextMonthStart(month)}::date
               AND cl.seq > ${BigInt(coveredUpTo)})
              OR (${previousWatermark !== null} AND cl.usage_date < ${monthStart(month)}::date
                  AND cl.seq > ${BigInt(previousWatermark ?? '0')}))
       GROUP BY 1, 2
       ORDER BY 2, 1`;
    return rows.map((r) => ({
      customerAccountId: r.customer,
      forMonth: r.for_month,
      amount: r.amount.toString(),
      grants: r.grants.toString(),
    }));
  }

  async function payoutAccount(partnerId: string) {
    const partner = await db.partner.findUniqueOrThrow({ where: { id: partnerId } });
    const account = await db.billingAccount.findUnique({
      where: { id: partner.billingAccountId },
    });
    return { bik: account?.bik ?? null, account: account?.settlementAccount ?? null };
  }

  async function writeStatement(
    tx: Tx,
    row: {
      partnerId: string;
      month: string;
      kind: 'monthly' | 'final';
      issuedAt: Date;
      seqFrom: string;
      seqTo: string;
      payout: { bik: string | null; account: string | null };
    },
    statement: ReferralStatement,
  ): Promise<IssuedStatement | null> {
    const id = randomUUID();
    const number = `REF-${row.month.replace('-', '')}-${row.partnerId.slice(0, 8).toUpperCase()}${row.kind === 'final' ? '-F' : ''}`;
    const inserted = await tx.$executeRaw`
      INSERT INTO commission_statements (id, number, partner_id, month, kind, issued_at, base_total,
                                         total, payout_bik, payout_account, seq_from, seq_to)
      VALUES (${id}::uuid, ${number}, ${row.partnerId}::uuid, ${row.month},
              ${row.kind}::"CommissionStatementKind", ${row.issuedAt},
              ${statement.baseTotal}::numeric, ${statement.total}::numeric,
              ${row.payout.bik}, ${row.payout.account}, ${BigInt(row.seqFrom)}, ${BigInt(row.seqTo)})
      ON CONFLICT (partner_id, month, kind) DO NOTHING`;
    if (inserted === 0) return null;
    await tx.commissionLine.createMany({
      data: statement.lines.map((line, position) => ({
        statementId: id,
        position,
        customerAccountId: line.customerAccountId,
        forMonth: line.forMonth,
        base: line.base,
        rate: line.rate,
        amount: line.amount,
        description: line.description,
      })),
    });
    return { statementId: id, number, created: true, total: statement.total };
  }

  async function assertBasisUnchanged(
    tx: Tx,
    partnerId: string,
    month: string,
    basis: CommissionBasis,
  ): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`commission:${partnerId}:${month}`}))`;
    const now = await basisOf(partnerId, month, tx);
    if (now.finalStatementId !== basis.finalStatementId) {
      // A plain Error: the activity retries and settles again from the new basis.
      throw new Error(`The commission of ${partnerId} for ${month} changed while settling`);
    }
  }

  async function partnerOf(partnerId: string): Promise<CommissionPartner | null> {
    const row = await db.partner.findUnique({ where: { id: partnerId } });
    if (!row) return null;
    const departed = row.status === 'left' || row.status === 'revoked';
    return {
      partnerId: row.id,
      ownAccountId: row.billingAccountId,
      exitDate: departed && row.exitDate ? isoDate(row.exitDate) : null,
    };
  }

  /** See referralPartners. `limit` null lists them all. */
  async function referralPartnerIds(
    month: string,
    after: string | null,
    limit: number | null,
  ): Promise<string[]> {
    const plan = await db.monthClose.findUnique({ where: { month } });
    const previous = plan?.previousWatermark ?? 0n;
    const watermark = plan?.watermark ?? 0n;
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM partners p
       WHERE (${after}::uuid IS NULL OR p.id > ${after}::uuid)
         AND (EXISTS (SELECT 1 FROM program_memberships m
                       WHERE m.partner_id = p.id AND m.program = 'referral'
                         AND m.start_date < ${nextMonthStart(month)}::date
                         AND (m.end_date IS NULL OR m.end_date >= ${monthStart(month)}::date))
              OR EXISTS (SELECT 1 FROM referral_attributions a
                           JOIN consumption_lines cl ON cl.billing_account_id = a.customer_account_id
                          WHERE a.partner_id = p.id AND a.end_date IS NOT NULL
                            AND cl.usage_date >= a.start_date AND cl.usage_date <= a.end_date
                            AND cl.usage_date < ${monthStart(month)}::date
                            AND cl.seq > ${previous} AND cl.seq <= ${watermark}))
       ORDER BY p.id
       LIMIT ${limit ?? 2_147_483_647}`;
    return rows.map((r) => r.id);
  }

  return {
    /** The partner's referral link, created on first use; its code never changes. */
    async linkOf(partnerId: string): Promise<{ code: string; createdAt: string }> {
      const existing = await db.referralLink.findUnique({ where: { partnerId } });
      if (existing) return { code: existing.code, createdAt: existing.createdAt.toISOString() };
      await db.$executeRaw`
        INSERT INTO referral_links (code, partner_id) VALUES (${newCode()}, ${partnerId}::uuid)
        ON CONFLICT (partner_id) DO NOTHING`;
      const row = await db.referralLink.findUniqueOrThrow({ where: { partnerId } });
      return { code: row.code, createdAt: row.createdAt.toISOString() };
    },

    /** The partner behind a code, and whether its link still brings customers. */
    async resolveCode(code: string) {
      const link = await db.referralLink.findUnique({ where: { code } });
      if (!link) return null;
      const partner = await db.partner.findUnique({
        where: { id: link.partnerId },
        include: { memberships: { where: { program: 'referral' } } },
      });
      if (!partner) return null;
      return {
        partnerId: partner.id,
        partnerName: partner.name,
        status: partner.status,
        memberships: partner.memberships.map((m) => ({
          startDate: isoDate(m.startDate),
          endDate: m.endDate ? isoDate(m.endDate) : null,
        })),
      };
    },

    /**
     * Records that a customer signed up through a partner's link, once: the same signup again
     * returns the first record (created: false); a customer already attributed to another
     * partner is refused. Creates the customer's billing account when billing reports a new
     * one. Audited. A new attribution whose start (the sign-up's Moscow date) is in a closed
     * month is refused (422 on signedUpAt): that month's statements are issued.
     */
    async attribute(
      event: SignupEvent,
      partnerId: string,
    ): Promise<{ attribution: AttributionView; created: boolean }> {
      const { customer } = event;
      return db.$transaction(async (tx) => {
        // First, before the customer's lock: see closed-period.repository.ts.
        const firstOpen = await lockFirstOpenDate(tx);
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`referral-customer:${customer.accountId}`}))`;
        const existing = await tx.referralAttribution.findUnique({
          where: { customerAccountId: customer.accountId },
        });
        if (existing) {
          if (existing.partnerId !== partnerId) {
            throw new DomainError(
              'conflict',
              `Customer ${customer.accountId} was already attributed to another partner on ${isoDate(existing.startDate)}; an attribution is recorded once`,
              [
                {
                  field: 'customer.accountId',
                  message: 'is already attributed to another partner',
                  code: 'customer_attributed',
                },
              ],
              {
                reason: 'customer_already_attributed',
                params: { accountId: customer.accountId, since: isoDate(existing.startDate) },
              },
            );
          }
          const known = await tx.billingAccount.findUnique({
            where: { id: customer.accountId },
            select: { name: true },
          });
          return { attribution: attributionView(existing, known?.name ?? null), created: false };
        }
        const account = await tx.billingAccount.findUnique({ where: { id: customer.accountId } });
        if (account?.parentId) {
          throw new DomainError(
            'conflict',
            `Billing account ${customer.accountId} is a customer subaccount of a VAR partner and cannot be referred`,
            [
              {
                field: 'customer.accountId',
                message: 'is a VAR partner’s customer subaccount',
                code: 'customer_is_var_subaccount',
              },
            ],
            { reason: 'customer_is_var_subaccount', params: { accountId: customer.accountId } },
          );
        }
        const ownerOf = await tx.partner.findFirst({
          where: { billingAccountId: customer.accountId },
        });
        if (ownerOf) {
          throw new DomainError(
            'conflict',
            `Billing account ${customer.accountId} belongs to a partner; partners cannot be referred`,
            [
              {
                field: 'customer.accountId',
                message: 'is a partner’s own billing account',
                code: 'customer_is_partner',
              },
            ],
            { reason: 'customer_is_partner', params: { accountId: customer.accountId } },
          );
        }
        const startDate = moscowDateOf(event.signedUpAt);
        assertOpenDate(startDate, firstOpen, 'signedUpAt');
        if (!account) {
          await tx.billingAccount.create({
            data: {
              id: customer.accountId,
              organizationId: customer.organizationId,
              name: customer.name,
              type: customer.type,
              ownerResident: true,
              paymentMethod: customer.type === 'individual' ? 'card' : 'invoice',
            },
          });
        }
        const row = await tx.referralAttribution.create({
          data: {
            customerAccountId: customer.accountId,
            partnerId,
            referralCode: event.referralCode,
            signedUpAt: event.signedUpAt,
            startDate: new Date(`${startDate}T00:00:00Z`),
            attributedBy: event.actor,
          },
        });
        await tx.auditEvent.create({
          data: {
            idempotencyKey: `referral-attribution:${customer.accountId}`,
            entityType: 'referral_attribution',
            entityId: customer.accountId,
            actor: event.actor,
            action: 'attribute',
            fromState: null,
            toState: partnerId,
            details: {
              referralCode: event.referralCode,
              signedUpAt: event.signedUpAt.toISOString(),
              newAccount: !account,
            },
            occurredAt: new Date(),
          },
        });
        return { attribution: attributionView(row, account?.name ?? customer.name), created: true };
      });
    },

    async attributionsOf(partnerId: string): Promise<AttributionView[]> {
      const rows = await db.referralAttribution.findMany({
        where: { partnerId },
        orderBy: [{ startDate: 'asc' }, { customerAccountId: 'asc' }],
      });
      const names = new Map(
        (
          await db.billingAccount.findMany({
            where: { id: { in: rows.map((r) => r.customerAccountId) } },
            select: { id: true, name: true },
          })
        ).map((a) => [a.id, a.name]),
      );
      return rows.map((r) => attributionView(r, names.get(r.customerAccountId) ?? null));
    },

    rateSchedule,
    commissionPartner: partnerOf,
    basis: (partnerId: string, month: string) => basisOf(partnerId, month),

    /**
     * Referral partners a month's close settles, by id, after a cursor: members for part of
     * the month, and partners who have left whose referred customers' consumption from
     * before the exit arrived since the previous close.
     */
    referralPartners: (month: string, after: string | null, limit: number) =>
      referralPartnerIds(month, after, limit),
    countReferralPartners: async (month: string) =>
      (await referralPartnerIds(month, null, null)).length,

    /** What the month's statement covers, read at the close's watermark. */
    async monthlyConsumption(partner: CommissionPartner, plan: ClosePlan, basis: CommissionBasis) {
      return consumption(
        partner.partnerId,
        plan.month,
        plan.watermark,
        basis.coveredUpTo,
        plan.previousWatermark,
      );
    },

    /**
     * Issues the month's statement, paid out to the partner's bank account. A second call
     * returns the first statement. Fails (and is retried) when a final statement was issued
     * since `basis` was read.
     */
    async issueMonthlyStatement(
      partner: CommissionPartner,
      plan: ClosePlan,
      basis: CommissionBasis,
      statement: ReferralStatement,
      issuedAt: Date,
    ): Promise<IssuedStatement> {
      const payout = await payoutAccount(partner.partnerId);
      return db.$transaction(async (tx) => {
        const key = { partnerId: partner.partnerId, month: plan.month, kind: 'monthly' as const };
        const existing = await tx.commissionStatement.findUnique({
          where: { partnerId_month_kind: key },
        });
        if (existing) return issuedOf(existing);
        await assertBasisUnchanged(tx, partner.partnerId, plan.month, basis);
        const written = await writeStatement(
          tx,
          {
            ...key,
            issuedAt,
            seqFrom: plan.previousWatermark,
            seqTo: plan.watermark,
            payout,
          },
          statement,
        );
        return (
          written ??
          issuedOf(
            await tx.commissionStatement.findUniqueOrThrow({
              where: { partnerId_month_kind: key },
            }),
          )
        );
      });
    },

    /**
     * The final statement of a referral partner who left or was revoked: the partial month's
     * commission up to the day before the exit date. Nothing when the month's statement
     * already exists (the close came first) or the partner was never in the program.
     */
    async issueFinalStatement(
      partnerId: string,
      issuedAt: Date,
      build: (
        month: string,
        consumption: ReferralConsumption[],
        rates: RateSchedule,
      ) => ReferralStatement,
    ): Promise<
      (IssuedStatement & { month: string }) | { coveredBy: string; month: string } | null
    > {
      const partner = await partnerOf(partnerId);
      if (!partner?.exitDate) return null;
      const isReferral = await db.programMembership.count({
        where: { partnerId, program: 'referral' },
      });
      if (isReferral === 0) return null;
      const month = exitMonthOf(partner.exitDate);
      const issued = await db.commissionStatement.findMany({ where: { partnerId, month } });
      const final = issued.find((row) => row.kind === 'final');
      if (final) return { ...issuedOf(final), month };
      const monthly = issued.find((row) => row.kind === 'monthly');
      if (monthly) return { coveredBy: monthly.number, month };
      const basis = await basisOf(partnerId, month);
      const watermark = (await db.$transaction((tx) => committedWatermark(tx))).toString();
      const statement = build(
        month,
        await consumption(partnerId, month, watermark, '0', null),
        await rateSchedule(),
      );
      const payout = await payoutAccount(partnerId);
      return db.$transaction(async (tx) => {
        await assertBasisUnchanged(tx, partnerId, month, basis);
        const monthlyNow = await tx.commissionStatement.findUnique({
          where: { partnerId_month_kind: { partnerId, month, kind: 'monthly' } },
        });
        if (monthlyNow) return { coveredBy: monthlyNow.number, month };
        const written = await writeStatement(
          tx,
          { partnerId, month, kind: 'final', issuedAt, seqFrom: '0', seqTo: watermark, payout },
          statement,
        );
        if (!written) throw new Error(`A final statement for ${partnerId} ${month} came first`);
        return { ...written, month };
      });
    },

    async statementsOf(partnerId: string) {
      const rows = await db.commissionStatement.findMany({
        where: { partnerId },
        orderBy: [{ month: 'desc' }, { kind: 'asc' }],
      });
      return rows.map(statementSummary);
    },

    async statementWithLines(id: string) {
      const row = await db.commissionStatement.findUnique({
        where: { id },
        include: { lines: { orderBy: { position: 'asc' } } },
      });
      if (!row) return null;
      return {
        ...statementSummary(row),
        lines: row.lines.map((l) => ({
          position: l.position,
          customerAccountId: l.customerAccountId,
          forMonth: l.forMonth,
          base: l.base.toString(),
          rate: l.rate.toString(),
          amount: l.amount.toFixed(2),
          description: l.description,
        })),
      };
    },

    async monthTotals(month: string) {
      const sum = await db.commissionStatement.aggregate({
        where: { month },
        _count: true,
        _sum: { total: true },
      });
      return {
        statements: sum._count,
        commissionTotal: (sum._sum.total ?? new Prisma.Decimal(0)).toFixed(2),
      };
    },
  };
}

function attributionView(
  row: {
    customerAccountId: string;
    partnerId: string;
    referralCode: string;
    signedUpAt: Date;
    startDate: Date;
    endDate: Date | null;
  },
  customerName: string | null,
): AttributionView {
  return {
    customerAccountId: row.customerAccountId,
    customerName,
    partnerId: row.partnerId,
    referralCode: row.referralCode,
    signedUpAt: row.signedUpAt.toISOString(),
    startDate: isoDate(row.startDate),
    endDate: row.endDate ? isoDate(row.endDate) : null,
  };
}

function issuedOf(row: StatementRow): IssuedStatement {
  return { statementId: row.id, number: row.number, created: false, total: row.total.toFixed(2) };
}

export type ReferralRepository = ReturnType<typeof createReferralRepository>;
