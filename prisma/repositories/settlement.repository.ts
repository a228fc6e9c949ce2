import { randomUUID } from 'node:crypto';
import { exitMonthOf } from '../../domain/lifecycle';
import { addMonths, firstDayOf, isQuarterEnd } from '../../domain/settlement/dates';
import type { ConsumptionDay, VarMonthInput, VarSettlement } from '../../domain/settlement';
import type { Database } from '../client';
import { committedWatermark } from './consumption.repository';
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
  /**
   * For a partner who left or was revoked: its exit date ('YYYY-MM-DD', the first day
   * without partner status). Consumption from that day on is not the partner's.
   */
  exitDate: string | null;
}

/**
 * What a partner-month's invoices have billed so far, read before settling and checked again
 * under the partner-month lock before writing: a final invoice or an interim invoice issued
 * in between makes the write retry instead of billing a line twice.
 */
export interface BillingBasis {
  /** Lines of the month numbered up to here were billed by interim or final invoices. */
  billedUpTo: string;
  /** The partial month's final invoice (exit or revocation), if issued. */
  finalInvoiceId: string | null;
}

/** Serializes every invoice write of one partner-month (interim, final, monthly). */
const partnerMonthLock = (partnerId: string, month: string) =>
  `partner-month:${partnerId}:${month}`;

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

export interface SettledInvoice {
  invoiceId: string;
  number: string;
  created: boolean;
  payable: string;
}

const monthStart = firstDayOf;
const nextMonthStart = (month: string) => firstDayOf(addMonths(month, 1));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
function quarterStartOf(month: string): string {
  const m = Number(month.slice(5));
  return `${month.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
}
const dec = (v: Prisma.Decimal | string | number | null | undefined) =>
  v === null || v === undefined ? '0' : v.toString();

type InvoiceRow = Awaited<ReturnType<Database['invoice']['findUniqueOrThrow']>>;

interface PartnerRow {
  id: string;
  billing_account_id: string;
  payment_model: 'advance' | 'postpaid';
  payment_term_days: number;
  status: 'active' | 'leaving' | 'left' | 'revoked';
  exit_date: Date | null;
}

function closePartnerOf(
  row:
    | PartnerRow
    | {
        id: string;
        billingAccountId: string;
        paymentModel: 'advance' | 'postpaid';
        paymentTermDays: number;
        status: PartnerRow['status'];
        exitDate: Date | null;
      },
): ClosePartner {
  const flat =
    'billing_account_id' in row
      ? row
      : {
          id: row.id,
          billing_account_id: row.billingAccountId,
          payment_model: row.paymentModel,
          payment_term_days: row.paymentTermDays,
          status: row.status,
          exit_date: row.exitDate,
        };
  const departed = flat.status === 'left' || flat.status === 'revoked';
  return {
    partnerId: flat.id,
    ownAccountId: flat.billing_account_id,
    paymentModel: flat.payment_model,
    paymentTermDays: flat.payment_term_days,
    exitDate: departed && flat.exit_date ? isoDate(flat.exit_date) : null,
  };
}

function settledOf(row: InvoiceRow, created: boolean): SettledInvoice {
  return { invoiceId: row.id, number: row.number, created, payable: row.payable.toFixed(2) };
}

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
  /** Program terms change by migration, not during a close: read them at most every minute. */
  let termsCache: { at: number; terms: Promise<VarMonthInput['terms']> } | null = null;
  function programTerms(): Promise<VarMonthInput['terms']> {
    if (!termsCache || Date.now() - termsCache.at > 60_000) {
      termsCache = { at: Date.now(), terms: readProgramTerms() };
      termsCache.terms.catch(() => (termsCache = null));
    }
    return termsCache.terms;
  }

  async function readProgramTerms(): Promise<VarMonthInput['terms']> {
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
    /** Exclusive: consumption from this date on is not counted (a departed partner's exit date). */
    until: string | null = null,
  ): Promise<{ days: ConsumptionDay[]; adjustments: ConsumptionDay[] }> {
    // Sums and dates come back as text: exact, and no Decimal or Date objects to build for
    // the thousands of (account, day) rows of a partner.
    const rows = await db.$queryRaw<
      {
        account_id: string;
        usage_date: string;
        amount: string;
        grants: string;
        eligible: string;
      }[]
    >`
      SELECT cl.billing_account_id AS account_id, to_char(cl.usage_date, 'YYYY-MM-DD') AS usage_date,
             sum(cl.amount)::text AS amount, sum(cl.grant_amount)::text AS grants,
             sum(CASE WHEN coalesce(s.excluded_from_bonus, false) THEN 0 ELSE cl.amount - cl.grant_amount END)::text AS eligible
        FROM consumption_lines cl
        LEFT JOIN services s ON s.id = cl.service_id
       WHERE cl.billing_account_id = ANY(${accounts})
         AND cl.seq <= ${BigInt(watermark)}
         AND (${until}::date IS NULL OR cl.usage_date < ${until}::date)
         AND ((cl.usage_date >= ${monthStart(month)}::date AND cl.usage_date < ${nextMonthStart(month)}::date
               AND cl.seq > ${BigInt(billedUpTo)})
              OR (${withAdjustments} AND cl.usage_date < ${monthStart(month)}::date AND cl.seq > ${BigInt(previousWatermark)}))
       GROUP BY cl.billing_account_id, cl.usage_date`;
    const days: ConsumptionDay[] = [];
    const adjustments: ConsumptionDay[] = [];
    for (const row of rows) {
      const day: ConsumptionDay = {
        accountId: row.account_id,
        date: row.usage_date,
        amount: row.amount,
        grants: row.grants,
        eligible: row.eligible,
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

  /** What the partner-month's interim and final invoices have billed (see BillingBasis). */
  async function billingBasis(
    partnerId: string,
    month: string,
    client: Tx | Database = db,
  ): Promise<BillingBasis> {
    const issued = await client.invoice.findMany({
      where: { partnerId, month, kind: { in: ['interim', 'final'] } },
      select: { id: true, kind: true, seqTo: true },
    });
    const upTo = issued.reduce((max, row) => (row.seqTo > max ? row.seqTo : max), 0n);
    return {
      billedUpTo: upTo.toString(),
      finalInvoiceId: issued.find((row) => row.kind === 'final')?.id ?? null,
    };
  }

  /** The newest consumption line, once every line numbered below it has committed. */
  async function committedWatermarkText(tx: Tx): Promise<string> {
    return (await committedWatermark(tx)).toString();
  }

  async function projectsWithConsumption(
    partnerId: string,
    accounts: string[],
    month: string,
    watermark: string,
    until: string | null,
  ): Promise<VarMonthInput['projects']> {
    const projects = await db.project.findMany({
      where: { partnerId },
      orderBy: { createdAt: 'asc' },
    });
    return Promise.all(
      projects.map(async (p) => {
        const [row] = await db.$queryRaw<{ total: Prisma.Decimal | null }[]>`
          SELECT sum(amount) AS total FROM consumption_lines
           WHERE billing_account_id = ANY(${accounts})
             AND cloud_id = ${p.cloudId}
             AND (${p.folderId}::text IS NULL OR folder_id = ${p.folderId})
             AND usage_date >= ${monthStart(month)}::date AND usage_date < ${nextMonthStart(month)}::date
             AND (${until}::date IS NULL OR usage_date < ${until}::date)
             AND seq <= ${BigInt(watermark)}`;
        return {
          projectId: p.id,
          registeredOn: isoDate(p.registeredOn),
          baselineMonthly: p.baselineMonthly.toString(),
          rate: p.rate.toString(),
          consumptionThisMonth: dec(row?.total),
        };
      }),
    );
  }

  /**
   * Writes a settled invoice with its lines, returns the unused part of a withdrawal to bonus
   * to the rebate balance, draws down an advance payer's prepaid balance and credits the rebate
   * accruals — all in the caller's transaction. Returns false when the invoice's unique key
   * (partner, month, kind, sequence) was taken first, having written nothing.
   */
  interface InvoiceRowInput {
    id: string;
    number: string;
    partner: ClosePartner;
    month: string;
    kind: 'monthly' | 'final';
    issuedAt: Date;
    dueDate: Date | null;
    seqFrom: string;
    seqTo: string;
  }

  async function writeInvoice(
    tx: Tx,
    row: InvoiceRowInput,
    settlement: VarSettlement,
  ): Promise<boolean> {
    return (await writeInvoices(tx, [{ row, settlement }])) === 1;
  }

  /**
   * Writes settled invoices with their lines (two statements for any number of invoices),
   * then each one's withdrawal return, advance draw-down and rebate accruals — all in the
   * caller's transaction. Returns how many invoices were inserted; an invoice whose unique
   * key (partner, month, kind, sequence) was taken is skipped, with nothing of it written.
   */
  async function writeInvoices(
    tx: Tx,
    invoices: { row: InvoiceRowInput; settlement: VarSettlement }[],
  ): Promise<number> {
    if (invoices.length === 0) return 0;
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO invoices (id, number, partner_id, month, kind, sequence, issued_at, due_date,
                            consumption_total, grants_total, eligible_base, discount_total, payable,
                            vat_rate, vat_amount, advance_covered, seq_from, seq_to)
      SELECT i.id, i.number, i.partner_id, i.month, i.kind::"InvoiceKind", 0, i.issued_at, i.due_date,
             i.consumption_total, i.grants_total, i.eligible_base, i.discount_total, i.payable,
             i.vat_rate, i.vat_amount, 0, i.seq_from, i.seq_to
        FROM unnest(${invoices.map((i) => i.row.id)}::uuid[], ${invoices.map((i) => i.row.number)}::text[],
                    ${invoices.map((i) => i.row.partner.partnerId)}::uuid[], ${invoices.map((i) => i.row.month)}::text[],
                    ${invoices.map((i) => i.row.kind)}::text[], ${invoices.map((i) => i.row.issuedAt)}::timestamptz[],
                    ${invoices.map((i) => (i.row.dueDate ? isoDate(i.row.dueDate) : null))}::date[],
                    ${invoices.map((i) => i.settlement.totals.consumptionTotal)}::numeric[],
                    ${invoices.map((i) => i.settlement.totals.grantsTotal)}::numeric[],
                    ${invoices.map((i) => i.settlement.totals.eligibleBase)}::numeric[],
                    ${invoices.map((i) => i.settlement.totals.discountTotal)}::numeric[],
                    ${invoices.map((i) => i.settlement.totals.payable)}::numeric[],
                    ${invoices.map((i) => i.settlement.vatRate)}::numeric[],
                    ${invoices.map((i) => i.settlement.totals.vatIncluded)}::numeric[],
                    ${invoices.map((i) => BigInt(i.row.seqFrom))}::bigint[],
                    ${invoices.map((i) => BigInt(i.row.seqTo))}::bigint[])
             AS i(id, number, partner_id, month, kind, issued_at, due_date, consumption_total,
                  grants_total, eligible_base, discount_total, payable, vat_rate, vat_amount,
                  seq_from, seq_to)
      ON CONFLICT (partner_id, month, kind, sequence) DO NOTHING
      RETURNING id::text AS id`;
    const written = new Set(inserted.map((r) => r.id));
    const kept = invoices.filter((i) => written.has(i.row.id));
    await tx.invoiceLine.createMany({
      data: kept.flatMap(({ row, settlement }) =>
        lineRows(settlement).map((line) => ({ ...line, invoiceId: row.id })),
      ),
    });
    for (const { row, settlement } of kept) await writeInvoiceEffects(tx, row, settlement);
    return kept.length;
  }

  /** What an invoice moves besides itself: withdrawal return, advance, rebate accruals. */
  async function writeInvoiceEffects(
    tx: Tx,
    row: InvoiceRowInput,
    settlement: VarSettlement,
  ): Promise<void> {
    const { id, partner } = row;
    if (settlement.withdrawal) {
      const unused = new Prisma.Decimal(settlement.withdrawal.requested).minus(
        settlement.withdrawal.applied,
      );
      if (unused.greaterThan(0)) {
        // Requested more than the invoice could take: the rest goes back to the balance.
        await tx.rebateLedgerEntry.create({
          data: {
            partnerId: partner.partnerId,
            idempotencyKey: `withdrawal-return:${partner.partnerId}:${row.month}`,
            kind: 'withdrawal_to_bonus',
            amount: unused.toFixed(2),
            month: row.month,
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
          month: row.month,
          projectId: accrual.projectId ?? null,
          explanation: JSON.parse(JSON.stringify(accrual)) as Prisma.InputJsonValue,
        },
      });
    }
  }

  /** Rereads the basis under the partner-month lock; a change means another invoice came first. */
  async function assertBasisUnchanged(
    tx: Tx,
    partnerId: string,
    month: string,
    basis: BillingBasis,
  ): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${partnerMonthLock(partnerId, month)}))`;
    const now = await billingBasis(partnerId, month, tx);
    if (now.billedUpTo !== basis.billedUpTo || now.finalInvoiceId !== basis.finalInvoiceId) {
      // A plain Error: the activity retries and settles again from the new basis.
      throw new Error(
        `Invoices of ${partnerId} for ${month} changed while settling (billed up to ${basis.billedUpTo} → ${now.billedUpTo}); settling again`,
      );
    }
  }

  async function billingBases(
    partnerIds: string[],
    month: string,
    client: Tx | Database = db,
  ): Promise<Map<string, BillingBasis>> {
    const issued = await client.invoice.findMany({
      where: { partnerId: { in: partnerIds }, month, kind: { in: ['interim', 'final'] } },
      select: { id: true, partnerId: true, kind: true, seqTo: true },
    });
    const bases = new Map<string, BillingBasis>(
      partnerIds.map((id) => [id, { billedUpTo: '0', finalInvoiceId: null }]),
    );
    for (const row of issued) {
      const basis = bases.get(row.partnerId) as BillingBasis;
      if (row.seqTo > BigInt(basis.billedUpTo)) basis.billedUpTo = row.seqTo.toString();
      if (row.kind === 'final') basis.finalInvoiceId = row.id;
    }
    return bases;
  }

  /** See settlementInputs in the repository's methods. */
  async function settlementInputs(
    partners: ClosePartner[],
    plan: ClosePlan,
    given?: Map<string, BillingBasis>,
  ): Promise<Map<string, VarMonthInput>> {
    const { month } = plan;
    const ids = partners.map((p) => p.partnerId);
    const bases = given ?? (await billingBases(ids, month));
    const children = await db.billingAccount.findMany({
      where: { parentId: { in: partners.map((p) => p.ownAccountId) } },
      select: { id: true, parentId: true },
    });
    const accountsByOwner = new Map(partners.map((p) => [p.ownAccountId, [p.ownAccountId]]));
    for (const child of children) accountsByOwner.get(child.parentId as string)?.push(child.id);
    // Partners with nothing special share one aggregate; a partner with interim or final
    // invoices this month, or who left, gets its own (its lines are cut differently).
    const simple = partners.filter(
      (p) => p.exitDate === null && bases.get(p.partnerId)?.billedUpTo === '0',
    );
    const ownerOfAccount = new Map<string, string>();
    for (const p of simple) {
      for (const account of accountsByOwner.get(p.ownAccountId) ?? []) {
        ownerOfAccount.set(account, p.partnerId);
      }
    }
    const shared = simple.length
      ? await consumptionDays(
          [...ownerOfAccount.keys()],
          month,
          plan.watermark,
          plan.previousWatermark,
        )
      : { days: [], adjustments: [] };
    const daysOf = new Map<string, { days: ConsumptionDay[]; adjustments: ConsumptionDay[] }>(
      simple.map((p) => [p.partnerId, { days: [], adjustments: [] }]),
    );
    for (const day of shared.days)
      daysOf.get(ownerOfAccount.get(day.accountId) as string)?.days.push(day);
    for (const day of shared.adjustments) {
      daysOf.get(ownerOfAccount.get(day.accountId) as string)?.adjustments.push(day);
    }

    const [terms, deals, projectOwners, withdrawals] = await Promise.all([
      programTerms(),
      db.deal.findMany({ where: { partnerId: { in: ids } }, orderBy: { createdAt: 'asc' } }),
      db.project.findMany({ where: { partnerId: { in: ids } }, select: { partnerId: true } }),
      db.withdrawal.groupBy({
        by: ['partnerId'],
        where: { partnerId: { in: ids }, month, target: 'bonus' },
        _sum: { amount: true },
      }),
    ]);
    const withProjects = new Set(projectOwners.map((p) => p.partnerId));
    const withdrawn = new Map(withdrawals.map((w) => [w.partnerId, w._sum.amount]));

    const inputs = new Map<string, VarMonthInput>();
    for (const partner of partners) {
      const basis = bases.get(partner.partnerId) as BillingBasis;
      const accounts = accountsByOwner.get(partner.ownAccountId) ?? [partner.ownAccountId];
      const own =
        daysOf.get(partner.partnerId) ??
        (await consumptionDays(
          accounts,
          month,
          plan.watermark,
          plan.previousWatermark,
          basis.billedUpTo,
          true,
          partner.exitDate,
        ));
      const afterExit = partner.exitDate !== null && month > exitMonthOf(partner.exitDate);
      const settledElsewhere = basis.finalInvoiceId !== null || afterExit;
      const requested = withdrawn.get(partner.partnerId);
      inputs.set(partner.partnerId, {
        month,
        ownAccountId: partner.ownAccountId,
        terms,
        days: own.days,
        adjustments: own.adjustments,
        deals: deals
          .filter((d) => d.partnerId === partner.partnerId)
          .map((d) => ({
            dealId: d.id,
            customerAccountId: d.customerAccountId,
            upliftRate: d.upliftRate.toString(),
            from: isoDate(d.startDate),
            to: d.endDate ? isoDate(d.endDate) : null,
          })),
        projects:
          settledElsewhere || !withProjects.has(partner.partnerId)
            ? []
            : await projectsWithConsumption(
                partner.partnerId,
                accounts,
                month,
                plan.watermark,
                partner.exitDate,
              ),
        specializations:
          isQuarterEnd(month) && !settledElsewhere
            ? await specializationQuarter(partner.partnerId, accounts, month, plan)
            : [],
        rebateWithdrawalToBonus:
          settledElsewhere || !requested || requested.isZero()
            ? null
            : { requested: requested.toFixed(2), balance: requested.toFixed(2) },
      });
    }
    return inputs;
  }

  async function issueMonthlyInvoices(
    items: { partner: ClosePartner; settlement: VarSettlement; basis: BillingBasis }[],
    plan: ClosePlan,
    issuedAt: Date,
  ): Promise<Map<string, SettledInvoice>> {
    const result = new Map<string, SettledInvoice>();
    if (items.length === 0) return result;
    const ids = items.map((i) => i.partner.partnerId);
    return db.$transaction(
      async (tx) => {
        // Every partner-month's lock, in one order, so concurrent closes never deadlock.
        const keys = [...ids].sort().map((id) => partnerMonthLock(id, plan.month));
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(${keys}::text[]) AS k`;
        const existing = await tx.invoice.findMany({
          where: { partnerId: { in: ids }, month: plan.month, kind: 'monthly', sequence: 0 },
        });
        for (const row of existing) result.set(row.partnerId, settledOf(row, false));
        const current = await billingBases(ids, plan.month, tx);
        const due = new Date(`${nextMonthStart(plan.month)}T00:00:00Z`);
        const toWrite: { row: InvoiceRowInput; settlement: VarSettlement }[] = [];
        for (const { partner, settlement, basis } of items) {
          if (result.has(partner.partnerId)) continue;
          const now = current.get(partner.partnerId);
          if (now?.billedUpTo !== basis.billedUpTo || now.finalInvoiceId !== basis.finalInvoiceId) {
            // A plain Error: the activity retries and settles again from the new basis.
            throw new Error(
              `Invoices of ${partner.partnerId} for ${plan.month} changed while settling (billed up to ${basis.billedUpTo} → ${now?.billedUpTo}); settling again`,
            );
          }
          const dueDate = new Date(due);
          dueDate.setUTCDate(dueDate.getUTCDate() + partner.paymentTermDays - 1);
          toWrite.push({
            settlement,
            row: {
              id: randomUUID(),
              number: `VAR-${plan.month.replace('-', '')}-${partner.partnerId.slice(0, 8).toUpperCase()}`,
              partner,
              month: plan.month,
              kind: 'monthly',
              issuedAt,
              dueDate: partner.paymentModel === 'postpaid' ? dueDate : null,
              seqFrom: plan.previousWatermark,
              seqTo: plan.watermark,
            },
          });
        }
        // Under the locks nothing else can write these invoices: all of them go in.
        if ((await writeInvoices(tx, toWrite)) !== toWrite.length) {
          throw new Error(`A monthly invoice of the batch for ${plan.month} came first`);
        }
        for (const { row, settlement } of toWrite) {
          result.set(row.partner.partnerId, {
            invoiceId: row.id,
            number: row.number,
            created: true,
            payable: settlement.totals.payable,
          });
        }
        return result;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  async function closePartnerById(partnerId: string): Promise<ClosePartner | null> {
    const row = await db.partner.findUnique({ where: { id: partnerId } });
    return row ? closePartnerOf(row) : null;
  }

  /** See varPartners. `limit` null counts them all. */
  async function closePartnerRows(month: string, after: string | null, limit: number | null) {
    const plan = await db.monthClose.findUnique({ where: { month } });
    const previous = plan?.previousWatermark ?? 0n;
    const watermark = plan?.watermark ?? 0n;
    return db.$queryRaw<PartnerRow[]>`
      SELECT p.id, p.billing_account_id, p.payment_model, p.payment_term_days, p.status, p.exit_date
        FROM partners p
       WHERE (${after}::uuid IS NULL OR p.id > ${after}::uuid)
         AND (EXISTS (SELECT 1 FROM program_memberships m
                       WHERE m.partner_id = p.id AND m.program = 'var'
                         AND m.start_date < ${nextMonthStart(month)}::date
                         AND (m.end_date IS NULL OR m.end_date >= ${monthStart(month)}::date))
              OR (p.status IN ('left', 'revoked') AND p.exit_date IS NOT NULL
                  AND EXISTS (SELECT 1 FROM program_memberships m
                               WHERE m.partner_id = p.id AND m.program = 'var')
                  AND EXISTS (SELECT 1 FROM billing_accounts a
                                JOIN consumption_lines cl ON cl.billing_account_id = a.id
                               WHERE (a.id = p.billing_account_id OR a.parent_id = p.billing_account_id)
                                 AND cl.usage_date < p.exit_date
                                 AND cl.usage_date < ${nextMonthStart(month)}::date
                                 AND cl.seq > ${previous} AND cl.seq <= ${watermark})))
       ORDER BY p.id
       LIMIT ${limit ?? 2_147_483_647}`;
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
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${partnerMonthLock(partnerId, month)}))`;
          const partner = await tx.partner.findUnique({ where: { id: partnerId } });
          if (!partner || partner.paymentModel !== 'postpaid' || !partner.billingThreshold)
            return null;
          // A partner who left is settled by its final invoice and the closes after it.
          if (partner.status === 'left' || partner.status === 'revoked') return null;
          const closed = await tx.monthClose.findUnique({ where: { month } });
          if (closed) return null; // the month-end invoice has taken over
          const watermark = await committedWatermarkText(tx);
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
        const created = await tx.monthClose.create({
          data: {
            month,
            status: 'running',
            watermark: await committedWatermark(tx),
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

    /**
     * The partners a month's close settles, by id, after a cursor: VAR members for part of
     * the month, and partners who have left with consumption from before their exit date
     * that arrived since the previous close (it is billed as adjustments).
     */
    async varPartners(month: string, after: string | null, limit: number): Promise<ClosePartner[]> {
      const rows = await closePartnerRows(month, after, limit);
      return rows.map(closePartnerOf);
    },

    async countVarPartners(month: string): Promise<number> {
      return (await closePartnerRows(month, null, null)).length;
    },

    /** The partner-month's basis: what interim and final invoices have billed. */
    billingBasis: (partnerId: string, month: string) => billingBasis(partnerId, month),

    /**
     * Everything the domain needs to settle one partner-month, read at the close's watermark.
     * After a final invoice the month-end invoice bills only what arrived since (no rebates
     * or withdrawals: the final invoice took them); a departed partner's later months carry
     * only late consumption.
     */
    async settlementInput(
      partner: ClosePartner,
      plan: ClosePlan,
      basis?: BillingBasis,
    ): Promise<VarMonthInput> {
      const bases = basis ? new Map([[partner.partnerId, basis]]) : undefined;
      const inputs = await settlementInputs([partner], plan, bases);
      return inputs.get(partner.partnerId) as VarMonthInput;
    },

    /**
     * The same for a batch of partners, read with a few queries for the whole batch rather
     * than a few per partner: the close's hot path.
     */
    settlementInputs: (
      partners: ClosePartner[],
      plan: ClosePlan,
      bases?: Map<string, BillingBasis>,
    ) => settlementInputs(partners, plan, bases),

    /** The bases of a batch of partner-months, in one query. */
    billingBases: (partnerIds: string[], month: string) => billingBases(partnerIds, month),

    /** A batch of partners as the close needs them, in one query. */
    async partnersForClose(partnerIds: string[]): Promise<Map<string, ClosePartner>> {
      const rows = await db.partner.findMany({ where: { id: { in: partnerIds } } });
      return new Map(rows.map((row) => [row.id, closePartnerOf(row)]));
    },

    /**
     * Issues the partner's monthly invoice with its lines and credits its rebate accruals, in
     * one transaction. A second call for the same partner-month changes nothing and returns
     * the invoice issued first. `basis` is what the settlement was computed from: if an
     * interim or final invoice was issued since, the call fails and is retried.
     */
    async issueMonthlyInvoice(
      partner: ClosePartner,
      plan: ClosePlan,
      settlement: VarSettlement,
      issuedAt: Date,
      basis?: BillingBasis,
    ): Promise<SettledInvoice> {
      const issued = await issueMonthlyInvoices(
        [
          {
            partner,
            settlement,
            basis: basis ?? (await billingBasis(partner.partnerId, plan.month)),
          },
        ],
        plan,
        issuedAt,
      );
      return issued.get(partner.partnerId) as SettledInvoice;
    },

    /**
     * Issues the monthly invoices of a batch of partners in one transaction: the same rules
     * as one at a time (each invoice once, the basis re-checked under each partner-month's
     * lock), with a handful of statements for the batch instead of a handful per partner.
     */
    issueMonthlyInvoices: (
      items: { partner: ClosePartner; settlement: VarSettlement; basis: BillingBasis }[],
      plan: ClosePlan,
      issuedAt: Date,
    ) => issueMonthlyInvoices(items, plan, issuedAt),

    /**
     * The final settlement of a partner who left or was revoked (SPEC §4): one invoice for
     * the partial month up to the day before the exit date, with its rebate accruals and the
     * month's withdrawals to bonus. Nothing is issued when the month's invoice already exists
     * (the close came first); a second call returns the invoice issued first. Consumption of
     * the partial month arriving later is billed by the month's close; earlier months' late
     * consumption by the closes, as adjustments.
     */
    async issueFinalInvoice(
      partnerId: string,
      issuedAt: Date,
      settle: (input: VarMonthInput) => VarSettlement,
    ): Promise<(SettledInvoice & { month: string }) | { coveredBy: string; month: string } | null> {
      const partner = await closePartnerById(partnerId);
      if (!partner?.exitDate) return null;
      const month = exitMonthOf(partner.exitDate);
      const issued = await db.invoice.findMany({
        where: { partnerId, month, kind: { in: ['monthly', 'final'] } },
      });
      const final = issued.find((row) => row.kind === 'final');
      if (final) return { ...settledOf(final, false), month };
      const monthly = issued.find((row) => row.kind === 'monthly');
      if (monthly) return { coveredBy: monthly.number, month };
      const isVar = await db.programMembership.count({
        where: { partnerId, program: 'var' },
      });
      if (isVar === 0) return null;

      const basis = await billingBasis(partnerId, month);
      const watermark = await db.$transaction((tx) => committedWatermarkText(tx));
      const accounts = await accountsOf(partner.ownAccountId);
      const { days } = await consumptionDays(
        accounts,
        month,
        watermark,
        watermark,
        basis.billedUpTo,
        false,
        partner.exitDate,
      );
      const settlement = settle({
        month,
        ownAccountId: partner.ownAccountId,
        terms: await programTerms(),
        days,
        adjustments: [],
        deals: await dealsOf(partnerId),
        projects: await projectsWithConsumption(
          partnerId,
          accounts,
          month,
          watermark,
          partner.exitDate,
        ),
        specializations: [],
        rebateWithdrawalToBonus: await withdrawalToBonus(partnerId, month),
      });
      return db.$transaction(async (tx) => {
        await assertBasisUnchanged(tx, partnerId, month, basis);
        const monthlyNow = await tx.invoice.findUnique({
          where: {
            partnerId_month_kind_sequence: { partnerId, month, kind: 'monthly', sequence: 0 },
          },
        });
        if (monthlyNow) return { coveredBy: monthlyNow.number, month };
        const id = randomUUID();
        const number = `VAR-${month.replace('-', '')}-${partnerId.slice(0, 8).toUpperCase()}-F`;
        const due = new Date(issuedAt);
        due.setUTCDate(due.getUTCDate() + partner.paymentTermDays);
        const written = await writeInvoice(
          tx,
          {
            id,
            number,
            partner,
            month,
            kind: 'final',
            issuedAt,
            dueDate: partner.paymentModel === 'postpaid' ? due : null,
            seqFrom: basis.billedUpTo,
            seqTo: watermark,
          },
          settlement,
        );
        if (!written) throw new Error(`A final invoice for ${partnerId} ${month} came first`);
        return { invoiceId: id, number, created: true, payable: settlement.totals.payable, month };
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
      const commissions = await db.commissionStatement.aggregate({
        where: { month, kind: 'monthly' },
        _count: true,
        _sum: { total: true },
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
        commissionStatements: commissions._count,
        commissionTotal: (commissions._sum.total ?? new Prisma.Decimal(0)).toFixed(2),
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

    /** Every close, newest month first, with its totals. */
    async closes() {
      const rows = await db.monthClose.findMany({ orderBy: { month: 'desc' }, take: 120 });
      const totals = await db.invoice.groupBy({
        by: ['month'],
        where: { month: { in: rows.map((r) => r.month) } },
        _count: true,
        _sum: { payable: true, discountTotal: true },
      });
      const byMonth = new Map(totals.map((t) => [t.month, t]));
      return rows.map((row) => {
        const t = byMonth.get(row.month);
        return {
          month: row.month,
          status: row.status,
          partnersTotal: row.partnersTotal,
          partnersSettled: row.partnersSettled,
          invoices: t?._count ?? 0,
          payableTotal: (t?._sum.payable ?? new Prisma.Decimal(0)).toFixed(2),
          discountTotal: (t?._sum.discountTotal ?? new Prisma.Decimal(0)).toFixed(2),
          startedAt: row.startedAt.toISOString(),
          completedAt: row.completedAt?.toISOString() ?? null,
        };
      });
    },

    /** A month's invoices with their partner's name, by number. */
    async invoicesOfMonth(month: string) {
      const rows = await db.invoice.findMany({ where: { month }, orderBy: { number: 'asc' } });
      const names = new Map(
        (
          await db.partner.findMany({
            where: { id: { in: [...new Set(rows.map((r) => r.partnerId))] } },
            select: { id: true, name: true },
          })
        ).map((p) => [p.id, p.name]),
      );
      return rows.map((row) => ({
        ...invoiceSummary(row),
        partnerName: names.get(row.partnerId) ?? null,
      }));
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

    partnerForClose: (partnerId: string) => closePartnerById(partnerId),
  };
}

export type SettlementRepository = ReturnType<typeof createSettlementRepository>;
