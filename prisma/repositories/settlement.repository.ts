import { randomUUID } from 'node:crypto';
import type { ConsumptionDay, VarMonthInput, VarSettlement } from '../../domain/settlement';
import type { Database } from '../client';
import { SEQ_WATERMARK_LOCK } from './consumption.repository';
import { Prisma } from '../generated/client/client';

/**
 * What the month-end close reads and writes. Consumption is summed in SQL, grouped by
 * (account, day) — the rules run on those aggregates in the domain, never on line items.
 * Every write is keyed by business identity: one monthly invoice per partner-month, one
 * ledger entry per project-month.
 */
export interface ClosePlan {
  month: string;
  status: 'running' | 'completed';
  /** Consumption lines with seq ≤ watermark belong to this close. */
  watermark: string;
  /** Lines with seq ≤ previousWatermark were settled by earlier closes. */
  previousWatermark: string;
}

export interface ClosePartner {
  partnerId: string;
  ownAccountId: string;
  paymentModel: 'advance' | 'postpaid';
  paymentTermDays: number;
}

export interface SettledInvoice {
  invoiceId: string;
  number: string;
  created: boolean;
  payable: string;
}

const monthStart = (month: string) => `${month}-01`;
function nextMonthStart(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const isQuarterEnd = (month: string) => ['03', '06', '09', '12'].includes(month.slice(5));
function quarterStartOf(month: string): string {
  const m = Number(month.slice(5));
  return `${month.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
}
const dec = (v: Prisma.Decimal | string | number | null | undefined) =>
  v === null || v === undefined ? '0' : v.toString();

type InvoiceRow = Awaited<ReturnType<Database['invoice']['findUniqueOrThrow']>>;

function invoiceSummary(row: InvoiceRow) {
  return {
    id: row.id,
    number: row.number,
    partnerId: row.partnerId,
    month: row.month,
    kind: row.kind,
    sequence: row.sequence,
    issuedAt: row.issuedAt.toISOString(),
    dueDate: row.dueDate ? isoDate(row.dueDate) : null,
    consumptionTotal: row.consumptionTotal.toFixed(2),
    grantsTotal: row.grantsTotal.toFixed(2),
    eligibleBase: row.eligibleBase.toFixed(2),
    discountTotal: row.discountTotal.toFixed(2),
    payable: row.payable.toFixed(2),
    vatRate: row.vatRate.toString(),
    vatAmount: row.vatAmount.toFixed(2),
  };
}

/** Invoice lines as stored: the domain's explained lines in order, rounded bases kept exact in details. */
function lineRows(settlement: VarSettlement) {
  return settlement.lines.map((line, position) => ({
    position,
    kind: line.kind,
    description: line.description,
    rule: line.rule,
    rate: line.rate ?? null,
    base: line.base ? new Prisma.Decimal(line.base).toDecimalPlaces(2) : null,
    amount: line.amount,
    dealId: line.dealId ?? null,
    accountId: line.accountId ?? null,
    details: {
      ...(line.forMonth ? { forMonth: line.forMonth } : {}),
      ...(line.adjusts ? { adjusts: line.adjusts } : {}),
      ...(line.base ? { exactBase: line.base } : {}),
    },
  }));
}

export function createSettlementRepository(db: Database) {
  /** The partner's own account and every customer subaccount under it. */
  async function accountsOf(ownAccountId: string): Promise<string[]> {
    const rows = await db.billingAccount.findMany({
      where: { parentId: ownAccountId },
      select: { id: true },
    });
    return [ownAccountId, ...rows.map((r) => r.id)];
  }

  /** The program terms as rate schedules with effective dates. */
  async function programTerms(): Promise<VarMonthInput['terms']> {
    const terms = await db.programTerm.findMany({ orderBy: { effectiveFrom: 'asc' } });
    const rates = (kind: 'base_bonus_rate' | 'vat_rate') =>
      terms
        .filter((t) => t.kind === kind)
        .map((t) => ({ from: isoDate(t.effectiveFrom), rate: t.rate.toString() }));
    return { baseBonusRates: rates('base_bonus_rate'), vatRates: rates('vat_rate') };
  }

  async function dealsOf(partnerId: string): Promise<VarMonthInput['deals']> {
    const deals = await db.deal.findMany({ where: { partnerId }, orderBy: { createdAt: 'asc' } });
    return deals.map((d) => ({
      dealId: d.id,
      customerAccountId: d.customerAccountId,
      upliftRate: d.upliftRate.toString(),
      from: isoDate(d.startDate),
      to: d.endDate ? isoDate(d.endDate) : null,
    }));
  }

  async function consumptionDays(
    accounts: string[],
    month: string,
    watermark: string,
    previousWatermark: string,
    /** Lines of the month numbered up to here were billed by interim invoices. */
    billedUpTo = '0',
    withAdjustments = true,
  ): Promise<{ days: ConsumptionDay[]; adjustments: ConsumptionDay[] }> {
    const rows = await db.$queryRaw<
      {
        account_id: string;
        usage_date: Date;
        amount: Prisma.Decimal;
        grants: Prisma.Decimal;
        eligible: Prisma.Decimal;
      }[]
    >`
      SELECT cl.billing_account_id AS account_id, cl.usage_date,
             sum(cl.amount) AS amount, sum(cl.grant_amount) AS grants,
             sum(CASE WHEN coalesce(s.excluded_from_bonus, false) THEN 0 ELSE cl.amount - cl.grant_amount END) AS eligible
        FROM consumption_lines cl
        LEFT JOIN services s ON s.id = cl.service_id
       WHERE cl.billing_account_id = ANY(${accounts})
         AND cl.seq <= ${BigInt(watermark)}
         AND ((cl.usage_date >= ${monthStart(month)}::date AND cl.usage_date < ${nextMonthStart(month)}::date
               AND cl.seq > ${BigInt(billedUpTo)})
              OR (${withAdjustments} AND cl.usage_date < ${monthStart(month)}::date AND cl.seq > ${BigInt(previousWatermark)}))
       GROUP BY cl.billing_account_id, cl.usage_date`;
    const days: ConsumptionDay[] = [];
    const adjustments: ConsumptionDay[] = [];
    for (const row of rows) {
      const day: ConsumptionDay = {
        accountId: row.account_id,
        date: isoDate(row.usage_date),
        amount: dec(row.amount),
        grants: dec(row.grants),
        eligible: dec(row.eligible),
      };
      (day.date < monthStart(month) ? adjustments : days).push(day);
    }
    days.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.date.localeCompare(b.date));
    adjustments.sort(
      (a, b) => a.accountId.localeCompare(b.accountId) || a.date.localeCompare(b.date),
    );
    return { days, adjustments };
  }

  /**
   * Quarter-end: each specialization the partner held, with its customers' eligible
   * consumption of the specialization's services over the quarter.
   */
  async function specializationQuarter(
    partnerId: string,
    accounts: string[],
    month: string,
    plan: ClosePlan,
  ) {
    const quarterStart = quarterStartOf(month);
    const held = await db.specialization.findMany({
      where: {
        partnerId,
        validFrom: { lt: new Date(`${nextMonthStart(month)}T00:00:00Z`) },
        OR: [{ validTo: null }, { validTo: { gte: new Date(`${quarterStart}T00:00:00Z`) } }],
      },
      orderBy: { id: 'asc' },
    });
    const customers = accounts.slice(1);
    return Promise.all(
      held.map(async (spec) => {
        const [row] = await db.$queryRaw<{ eligible: Prisma.Decimal | null }[]>`
          SELECT sum(cl.amount - cl.grant_amount) AS eligible
            FROM consumption_lines cl
           WHERE cl.billing_account_id = ANY(${customers})
             AND cl.service_id = ANY(${spec.serviceIds})
             AND cl.usage_date >= ${quarterStart}::date AND cl.usage_date < ${nextMonthStart(month)}::date
             AND cl.seq <= ${BigInt(plan.watermark)}`;
        return {
          specialization: spec.code,
          rate: spec.rate.toString(),
          eligibleConsumptionInQuarter: dec(row?.eligible),
        };
      }),
    );
  }

  /**
   * Withdrawals to Bonus requested for the month. Each request already took its amount off
   * the rebate balance, so the balance available to them is exactly what they requested.
   */
  async function withdrawalToBonus(partnerId: string, month: string) {
    const sum = await db.withdrawal.aggregate({
      where: { partnerId, month, target: 'bonus' },
      _sum: { amount: true },
    });
    const requested = sum._sum.amount;
    if (!requested || requested.isZero()) return null;
    return { requested: requested.toFixed(2), balance: requested.toFixed(2) };
  }

  /** The newest consumption line of the month already billed by an interim invoice. */
  async function interimBilledUpTo(partnerId: string, month: string): Promise<string> {
    const last = await db.invoice.findFirst({
      where: { partnerId, month, kind: 'interim' },
      orderBy: { sequence: 'desc' },
    });
    return (last?.seqTo ?? 0n).toString();
  }

  return {
    /**
     * Billing threshold (SPEC §2): when a postpaid partner's unbilled consumption of the
     * month reaches its threshold, an interim invoice covers it at once; the month-end
     * invoice covers the rest. Returns the invoice issued, or null when nothing is due.
     */
    async issueInterimInvoiceIfDue(
      partnerId: string,
      month: string,
      issuedAt: Date,
      settle: (input: VarMonthInput) => VarSettlement,
    ): Promise<SettledInvoice | null> {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`interim:${partnerId}:${month}`}))`;
          const partner = await tx.partner.findUnique({ where: { id: partnerId } });
          if (!partner || partner.paymentModel !== 'postpaid' || !partner.billingThreshold)
            return null;
          const closed = await tx.monthClose.findUnique({ where: { month } });
          if (closed) return null; // the month-end invoice has taken over
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SEQ_WATERMARK_LOCK}))`;
          const [newest] = await tx.$queryRaw<
            { max: bigint | null }[]
          >`SELECT max(seq) AS max FROM consumption_lines`;
          const watermark = (newest?.max ?? 0n).toString();
          const last = await tx.invoice.findFirst({
            where: { partnerId, month, kind: 'interim' },
            orderBy: { sequence: 'desc' },
          });
          const from = (last?.seqTo ?? 0n).toString();
          const accounts = await accountsOf(partner.billingAccountId);
          const { days } = await consumptionDays(
            accounts,
            month,
            watermark,
            watermark,
            from,
            false,
          );
          const unbilled = days.reduce((sum, d) => sum.plus(d.amount), new Prisma.Decimal(0));
          if (unbilled.lessThan(partner.billingThreshold)) return null;
          const settlement = settle({
            month,
            ownAccountId: partner.billingAccountId,
            terms: await programTerms(),
            days,
            adjustments: [],
            deals: await dealsOf(partnerId),
            projects: [],
            specializations: [],
            rebateWithdrawalToBonus: null,
          });
          const sequence = (last?.sequence ?? 0) + 1;
          const id = randomUUID();
          const number = `VAR-${month.replace('-', '')}-${partnerId.slice(0, 8).toUpperCase()}-I${sequence}`;
          const due = new Date(issuedAt);
          due.setUTCDate(due.getUTCDate() + partner.paymentTermDays);
          await tx.invoice.create({
            data: {
              id,
              number,
              partnerId,
              month,
              kind: 'interim',
              sequence,
              issuedAt,
              dueDate: due,
              consumptionTotal: settlement.totals.consumptionTotal,
              grantsTotal: settlement.totals.grantsTotal,
              eligibleBase: settlement.totals.eligibleBase,
              discountTotal: settlement.totals.discountTotal,
              payable: settlement.totals.payable,
              vatRate: settlement.vatRate,
              vatAmount: settlement.totals.vatIncluded,
              seqFrom: BigInt(from),
              seqTo: BigInt(watermark),
              lines: {
                create: lineRows(settlement),
              },
            },
          });
          return { invoiceId: id, number, created: true, payable: settlement.totals.payable };
        },
        { timeout: 60_000 },
      );
    },

    /** Postpaid partners with a billing threshold that own any of these billing accounts. */
    async thresholdPartnersOf(accountIds: string[]): Promise<string[]> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT DISTINCT p.id FROM partners p
          JOIN billing_accounts a ON a.id = p.billing_account_id OR a.parent_id = p.billing_account_id
         WHERE a.id = ANY(${accountIds}) AND p.payment_model = 'postpaid' AND p.billing_threshold IS NOT NULL`;
      return rows.map((r) => r.id);
    },

    /**
     * Starts (or resumes) a month's close. The first call fixes the watermark — the newest
     * consumption line it covers — so reruns and concurrent triggers settle the same lines.
     */
    async beginClose(month: string): Promise<ClosePlan> {
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`month-close:${month}`}))`;
        const existing = await tx.monthClose.findUnique({ where: { month } });
        if (existing) {
          return {
            month,
            status: existing.status,
            watermark: existing.watermark.toString(),
            previousWatermark: existing.previousWatermark.toString(),
          };
        }
        const previous = await tx.monthClose.findFirst({
          where: { month: { lt: month }, status: 'completed' },
          orderBy: { month: 'desc' },
        });
        // Ingestion holds this lock shared while it inserts: taking it exclusively here means
        // every line numbered below the watermark has committed, so none is skipped.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SEQ_WATERMARK_LOCK}))`;
        const [newest] = await tx.$queryRaw<
          { max: bigint | null }[]
        >`SELECT max(seq) AS max FROM consumption_lines`;
        const max = newest?.max;
        const created = await tx.monthClose.create({
          data: {
            month,
            status: 'running',
            watermark: max ?? 0n,
            previousWatermark: previous?.watermark ?? 0n,
          },
        });
        return {
          month,
          status: created.status,
          watermark: created.watermark.toString(),
          previousWatermark: created.previousWatermark.toString(),
        };
      });
    },

    /** VAR partners whose membership covers part of the month, by id, after a cursor. */
    async varPartners(month: string, after: string | null, limit: number): Promise<ClosePartner[]> {
      const rows = await db.partner.findMany({
        where: {
          id: after ? { gt: after } : undefined,
          memberships: {
            some: {
              program: 'var',
              startDate: { lt: new Date(`${nextMonthStart(month)}T00:00:00Z`) },
              OR: [
                { endDate: null },
                { endDate: { gte: new Date(`${monthStart(month)}T00:00:00Z`) } },
              ],
            },
          },
        },
        orderBy: { id: 'asc' },
        take: limit,
        select: { id: true, billingAccountId: true, paymentModel: true, paymentTermDays: true },
      });
      return rows.map((r) => ({
        partnerId: r.id,
        ownAccountId: r.billingAccountId,
        paymentModel: r.paymentModel,
        paymentTermDays: r.paymentTermDays,
      }));
    },

    async countVarPartners(month: string): Promise<number> {
      return db.partner.count({
        where: {
          memberships: {
            some: {
              program: 'var',
              startDate: { lt: new Date(`${nextMonthStart(month)}T00:00:00Z`) },
              OR: [
                { endDate: null },
                { endDate: { gte: new Date(`${monthStart(month)}T00:00:00Z`) } },
              ],
            },
          },
        },
      });
    },

    /** Everything the domain needs to settle one partner-month, read at the close's watermark. */
    async settlementInput(partner: ClosePartner, plan: ClosePlan): Promise<VarMonthInput> {
      const { month } = plan;
      const accounts = await accountsOf(partner.ownAccountId);
      const { days, adjustments } = await consumptionDays(
        accounts,
        month,
        plan.watermark,
        plan.previousWatermark,
        await interimBilledUpTo(partner.partnerId, month),
      );
      const [terms, deals, projects] = await Promise.all([
        programTerms(),
        dealsOf(partner.partnerId),
        db.project.findMany({
          where: { partnerId: partner.partnerId },
          orderBy: { createdAt: 'asc' },
        }),
      ]);
      const projectConsumption = await Promise.all(
        projects.map(async (p) => {
          const [row] = await db.$queryRaw<{ total: Prisma.Decimal | null }[]>`
            SELECT sum(amount) AS total FROM consumption_lines
             WHERE billing_account_id = ANY(${accounts})
               AND cloud_id = ${p.cloudId}
               AND (${p.folderId}::text IS NULL OR folder_id = ${p.folderId})
               AND usage_date >= ${monthStart(month)}::date AND usage_date < ${nextMonthStart(month)}::date
               AND seq <= ${BigInt(plan.watermark)}`;
          return dec(row?.total);
        }),
      );
      return {
        month,
        ownAccountId: partner.ownAccountId,
        terms,
        days,
        adjustments,
        deals,
        projects: projects.map((p, i) => ({
          projectId: p.id,
          registeredOn: isoDate(p.registeredOn),
          baselineMonthly: p.baselineMonthly.toString(),
          rate: p.rate.toString(),
          consumptionThisMonth: projectConsumption[i] ?? '0',
        })),
        specializations: isQuarterEnd(month)
          ? await specializationQuarter(partner.partnerId, accounts, month, plan)
          : [],
        rebateWithdrawalToBonus: await withdrawalToBonus(partner.partnerId, month),
      };
    },

    /**
     * Issues the partner's monthly invoice with its lines and credits its rebate accruals, in
     * one transaction. A second call for the same partner-month changes nothing and returns
     * the invoice issued first.
     */
    async issueMonthlyInvoice(
      partner: ClosePartner,
      plan: ClosePlan,
      settlement: VarSettlement,
      issuedAt: Date,
    ): Promise<SettledInvoice> {
      return db.$transaction(async (tx) => {
        const key = {
          partnerId: partner.partnerId,
          month: plan.month,
          kind: 'monthly' as const,
          sequence: 0,
        };
        const existing = await tx.invoice.findUnique({
          where: { partnerId_month_kind_sequence: key },
        });
        if (existing) {
          return {
            invoiceId: existing.id,
            number: existing.number,
            created: false,
            payable: existing.payable.toFixed(2),
          };
        }
        const id = randomUUID();
        const number = `VAR-${plan.month.replace('-', '')}-${partner.partnerId.slice(0, 8).toUpperCase()}`;
        const due = new Date(`${nextMonthStart(plan.month)}T00:00:00Z`);
        due.setUTCDate(due.getUTCDate() + partner.paymentTermDays - 1);
        const inserted = await tx.$executeRaw`
          INSERT INTO invoices (id, number, partner_id, month, kind, sequence, issued_at, due_date,
                                consumption_total, grants_total, eligible_base, discount_total, payable,
                                vat_rate, vat_amount, advance_covered, seq_from, seq_to)
          VALUES (${id}::uuid, ${number}, ${partner.partnerId}::uuid, ${plan.month}, 'monthly', 0, ${issuedAt},
                  ${partner.paymentModel === 'postpaid' ? due : null}::date,
                  ${settlement.totals.consumptionTotal}::numeric, ${settlement.totals.grantsTotal}::numeric,
                  ${settlement.totals.eligibleBase}::numeric, ${settlement.totals.discountTotal}::numeric,
                  ${settlement.totals.payable}::numeric, ${settlement.vatRate}::numeric,
                  ${settlement.totals.vatIncluded}::numeric, 0,
                  ${BigInt(plan.previousWatermark)}, ${BigInt(plan.watermark)})
          ON CONFLICT (partner_id, month, kind, sequence) DO NOTHING`;
        if (inserted === 0) {
          const winner = await tx.invoice.findUniqueOrThrow({
            where: { partnerId_month_kind_sequence: key },
          });
          return {
            invoiceId: winner.id,
            number: winner.number,
            created: false,
            payable: winner.payable.toFixed(2),
          };
        }
        await tx.invoiceLine.createMany({
          data: lineRows(settlement).map((row) => ({ ...row, invoiceId: id })),
        });
        if (settlement.withdrawal) {
          const unused = new Prisma.Decimal(settlement.withdrawal.requested).minus(
            settlement.withdrawal.applied,
          );
          if (unused.greaterThan(0)) {
            // Requested more than the invoice could take: the rest goes back to the balance.
            await tx.rebateLedgerEntry.create({
              data: {
                partnerId: partner.partnerId,
                idempotencyKey: `withdrawal-return:${partner.partnerId}:${plan.month}`,
                kind: 'withdrawal_to_bonus',
                amount: unused.toFixed(2),
                month: plan.month,
                explanation: { reason: settlement.withdrawal.explanation, invoiceId: id },
              },
            });
          }
        }
        if (partner.paymentModel === 'advance') {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`advance:${partner.partnerId}`}))`;
          const [prepaid] = await tx.$queryRaw<{ balance: Prisma.Decimal | null }[]>`
            SELECT sum(amount) AS balance FROM advance_ledger WHERE partner_id = ${partner.partnerId}::uuid`;
          const available = prepaid?.balance ?? new Prisma.Decimal(0);
          const covered = Prisma.Decimal.max(
            0,
            Prisma.Decimal.min(available, settlement.totals.payable),
          );
          if (covered.greaterThan(0)) {
            await tx.advanceLedgerEntry.create({
              data: {
                partnerId: partner.partnerId,
                idempotencyKey: `invoice:${id}:advance`,
                amount: covered.negated().toFixed(2),
                invoiceId: id,
              },
            });
            await tx.invoice.update({
              where: { id },
              data: { advanceCovered: covered.toFixed(2) },
            });
          }
        }
        for (const accrual of settlement.rebateAccruals) {
          if (accrual.amount === '0.00') continue;
          await tx.rebateLedgerEntry.create({
            data: {
              partnerId: partner.partnerId,
              idempotencyKey: `${accrual.kind}:${partner.partnerId}:${accrual.projectId ?? accrual.specialization ?? ''}:${accrual.period}`,
              kind: accrual.kind === 'project_growth' ? 'project_rebate' : 'specialization_rebate',
              amount: accrual.amount,
              month: plan.month,
              projectId: accrual.projectId ?? null,
              explanation: JSON.parse(JSON.stringify(accrual)) as Prisma.InputJsonValue,
            },
          });
        }
        return { invoiceId: id, number, created: true, payable: settlement.totals.payable };
      });
    },

    async recordProgress(month: string, settled: number, total: number): Promise<void> {
      await db.monthClose.update({
        where: { month },
        data: { partnersSettled: settled, partnersTotal: total },
      });
    },

    async completeClose(month: string, at: Date): Promise<void> {
      await db.monthClose.updateMany({
        where: { month, status: 'running' },
        data: { status: 'completed', completedAt: at },
      });
    },

    async closeStatus(month: string) {
      const row = await db.monthClose.findUnique({ where: { month } });
      if (!row) return null;
      const invoices = await db.invoice.aggregate({
        where: { month, kind: 'monthly' },
        _count: true,
        _sum: { payable: true, discountTotal: true, consumptionTotal: true },
      });
      return {
        month,
        status: row.status,
        partnersTotal: row.partnersTotal,
        partnersSettled: row.partnersSettled,
        invoices: invoices._count,
        consumptionTotal: (invoices._sum.consumptionTotal ?? new Prisma.Decimal(0)).toFixed(2),
        discountTotal: (invoices._sum.discountTotal ?? new Prisma.Decimal(0)).toFixed(2),
        payableTotal: (invoices._sum.payable ?? new Prisma.Decimal(0)).toFixed(2),
        startedAt: row.startedAt.toISOString(),
        completedAt: row.completedAt?.toISOString() ?? null,
      };
    },

    /** The newest line ingested so far and the newest closed month's watermark, for previews. */
    async previewPlan(month: string): Promise<ClosePlan> {
      const [newest] = await db.$queryRaw<
        { max: bigint | null }[]
      >`SELECT max(seq) AS max FROM consumption_lines`;
      const max = newest?.max;
      const previous = await db.monthClose.findFirst({
        where: { month: { lt: month }, status: 'completed' },
        orderBy: { month: 'desc' },
      });
      return {
        month,
        status: 'running',
        watermark: (max ?? 0n).toString(),
        previousWatermark: (previous?.watermark ?? 0n).toString(),
      };
    },

    async invoicesOf(partnerId: string) {
      const rows = await db.invoice.findMany({
        where: { partnerId },
        orderBy: [{ month: 'desc' }, { kind: 'asc' }, { sequence: 'asc' }],
      });
      return rows.map(invoiceSummary);
    },

    async invoiceWithLines(id: string) {
      const row = await db.invoice.findUnique({
        where: { id },
        include: { lines: { orderBy: { position: 'asc' } } },
      });
      if (!row) return null;
      return {
        ...invoiceSummary(row),
        lines: row.lines.map((l) => ({
          position: l.position,
          kind: l.kind,
          description: l.description,
          rule: l.rule,
          rate: l.rate?.toString() ?? null,
          base: l.base?.toFixed(2) ?? null,
          amount: l.amount.toFixed(2),
          dealId: l.dealId,
          accountId: l.accountId,
          details: l.details as Record<string, unknown>,
        })),
      };
    },

    async partnerForClose(partnerId: string): Promise<ClosePartner | null> {
      const row = await db.partner.findUnique({ where: { id: partnerId } });
      return row
        ? {
            partnerId: row.id,
            ownAccountId: row.billingAccountId,
            paymentModel: row.paymentModel,
            paymentTermDays: row.paymentTermDays,
          }
        : null;
    },
  };
}

export type SettlementRepository = ReturnType<typeof createSettlementRepository>;
