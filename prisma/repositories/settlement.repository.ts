import { randomUUID } from 'node:crypto';
import { exitMonthOf } from '../../domain/lifecycle';
import { addMonths, firstDayOf, isQuarterEnd } from '../../domain/settlement/dates';
import {
  BONUS_EXCLUDED_SERVICE_IDS,
  LedgerOverlapError,
  billableFrom as billableFromRule,
  closeOrderProblem,
  interimInvoiceDue,
  invoiceDueDate,
  invoiceNumber,
  isMonthClosed,
  monthlyRanges,
  partialMonthRange,
  reconciliationDifference,
  recordedRanges,
  settledByFinalInvoice,
  type BilledRange,
  type CloseOrderProblem,
  type DaySum,
  type InvoiceKind,
  type RecordedRange,
} from '../../domain/settlement/billing';
import type { ConsumptionDay, VarMonthInput, VarSettlement } from '../../domain/settlement';
import {
  coversWholeMonths,
  daysSettledByDay,
  type DailySpan,
} from '../../domain/settlement/daily-detail';
import { dateInMoscow } from '../../domain/programs';
import type { Database } from '../client';
import { committedWatermark } from './consumption.repository';
import { Prisma } from '../generated/client/client';

/**
 * What the month-end close, interim and final invoices read and write. Consumption is summed
 * in SQL, grouped by (account, day); the rules run on those sums in the domain
 * (domain/settlement), which also decides which lines each invoice bills. Every invoice
 * records those lines in the billing ledger (`billed_ranges`), whose exclusion constraint
 * refuses a line billed twice.
 */
export interface ClosePlan {
  month: string;
  status: 'running' | 'completed';
  /** Consumption lines with seq ≤ watermark belong to this close. */
  watermark: string;
  /** The previous close's watermark: earlier months' lines above it are late. */
  previousWatermark: string;
  /**
   * Only for the running invoice of an open month: late lines count up to this date (the end
   * of the newest closed month, null when none is closed); a real close bills every late line.
   */
  lateUntil?: string | null;
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
  /** The first usage date its invoices bill; null when it was never in the VAR program. */
  billableFrom: string | null;
}

/**
 * What a partner-month's interim and final invoices have billed, read before settling and
 * checked again under the partner-month lock before writing.
 */
export interface BillingBasis {
  /** Lines of the month numbered up to here were billed by interim or final invoices. */
  billedUpTo: string;
  /** The partial month's final invoice (exit or revocation), if issued. */
  finalInvoiceId: string | null;
}

/** A month's close refused because months close in order (see domain closeOrderProblem). */
export class CloseOrderError extends Error {
  override readonly name = 'CloseOrderError';
  constructor(readonly problem: CloseOrderProblem) {
    super(problem.message);
  }
}

/** Serializes every invoice write of one partner-month (interim, final, monthly). */
const partnerMonthLock = (partnerId: string, month: string) =>
  `partner-month:${partnerId}:${month}`;
/**
 * Taken exclusively when a close begins and shared by interim and final invoices while they
 * write: an interim or final invoice of a month never lands after that month's close began.
 */
const CLOSE_REGISTRY_LOCK = 'month-close:registry';

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

export interface SettledInvoice {
  invoiceId: string;
  number: string;
  created: boolean;
  payable: string;
}

/** A partner-month's settlement input and the ranges of lines it was read from. */
export interface CloseInput {
  input: VarMonthInput;
  ranges: BilledRange[];
  days: DaySum[];
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
const byAccountAndDate = (a: ConsumptionDay, b: ConsumptionDay) =>
  a.accountId.localeCompare(b.accountId) || a.date.localeCompare(b.date);

type InvoiceRow = Awaited<ReturnType<Database['invoice']['findUniqueOrThrow']>>;

interface PartnerRow {
  id: string;
  billing_account_id: string;
  payment_model: 'advance' | 'postpaid';
  payment_term_days: number;
  status: 'active' | 'leaving' | 'left' | 'revoked';
  exit_date: Date | null;
  var_start: Date | null;
}

/** One (account, day) sum of a range query. */
interface DayRow extends ConsumptionDay, DaySum {}

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

/** An invoice to write: its row, its settlement and the ledger ranges it bills. */
interface InvoiceWrite {
  row: {
    id: string;
    number: string;
    partner: ClosePartner;
    month: string;
    kind: InvoiceKind;
    sequence: number;
    issuedAt: Date;
    dueDate: string | null;
    seqFrom: string;
    seqTo: string;
  };
  settlement: VarSettlement;
  ranges: RecordedRange[];
}

function isLedgerOverlap(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : '';
  return text.includes('billed_ranges_no_overlap') || text.includes('23P01');
}

export interface SettlementRepositoryOptions {
  /** The program's first month: consumption before it is never billed. */
  programFirstMonth?: string;
}

export function createSettlementRepository(
  db: Database,
  options: SettlementRepositoryOptions = {},
) {
  const programFirstMonth = options.programFirstMonth ?? '2019-01';

  function closePartnerOf(row: PartnerRow): ClosePartner {
    const departed = row.status === 'left' || row.status === 'revoked';
    return {
      partnerId: row.id,
      ownAccountId: row.billing_account_id,
      paymentModel: row.payment_model,
      paymentTermDays: row.payment_term_days,
      exitDate: departed && row.exit_date ? isoDate(row.exit_date) : null,
      billableFrom: row.var_start
        ? billableFromRule(programFirstMonth, isoDate(row.var_start))
        : null,
    };
  }

  const PARTNER_COLUMNS = Prisma.sql`
    p.id::text AS id, p.billing_account_id, p.payment_model::text AS payment_model,
    p.payment_term_days, p.status::text AS status, p.exit_date,
    (SELECT min(m.start_date) FROM program_memberships m
      WHERE m.partner_id = p.id AND m.program = 'var') AS var_start`;

  async function partnersById(ids: string[]): Promise<Map<string, ClosePartner>> {
    if (ids.length === 0) return new Map();
    const rows = await db.$queryRaw<PartnerRow[]>`
      SELECT ${PARTNER_COLUMNS} FROM partners p WHERE p.id = ANY(${ids}::uuid[])`;
    return new Map(rows.map((row) => [row.id, closePartnerOf(row)]));
  }

  async function closePartnerById(partnerId: string): Promise<ClosePartner | null> {
    return (await partnersById([partnerId])).get(partnerId) ?? null;
  }

  /** The partner's own account and every customer subaccount under it. */
  async function accountsOf(ownAccountId: string): Promise<string[]> {
    const rows = await db.billingAccount.findMany({
      where: { parentId: ownAccountId },
      select: { id: true },
    });
    return [ownAccountId, ...rows.map((r) => r.id)];
  }

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

  async function dealsOf(partnerIds: string[]) {
    const deals = await db.deal.findMany({
      where: { partnerId: { in: partnerIds } },
      orderBy: { createdAt: 'asc' },
    });
    return (partnerId: string): VarMonthInput['deals'] =>
      deals
        .filter((d) => d.partnerId === partnerId)
        .map((d) => ({
          dealId: d.id,
          customerAccountId: d.customerAccountId,
          upliftRate: d.upliftRate.toString(),
          from: isoDate(d.startDate),
          to: d.endDate ? isoDate(d.endDate) : null,
        }));
  }

  /**
   * The (account, day) sums of the lines of `accounts` inside any of `ranges`. Sums and dates
   * come back as text: exact, and no Decimal or Date objects to build for the thousands of rows
   * of a partner. The bonus exclusions are the domain's list of service ids.
   *
   * Given `byDay` (domain daysSettledByDay), only the days of those spans are summed per day;
   * every other day is summed into its account's month, the row dated by its first day with
   * consumption. The caller reads whole-month ranges only then (domain coversWholeMonths), so
   * each such row lies wholly inside or outside every range.
   */
  async function daysIn(
    accounts: string[],
    ranges: readonly BilledRange[],
    byDay?: readonly DailySpan[],
  ): Promise<DayRow[]> {
    if (ranges.length === 0 || accounts.length === 0) return [];
    const spans = byDay ?? [];
    const dayOf = byDay
      ? Prisma.sql`CASE WHEN cl.usage_date >= s.from_day AND (s.to_day IS NULL OR cl.usage_date <= s.to_day)
                        THEN cl.usage_date ELSE date_trunc('month', cl.usage_date)::date END`
      : Prisma.sql`cl.usage_date`;
    const inRanges = Prisma.join(
      ranges.map(
        (r) =>
          Prisma.sql`(cl.usage_date >= ${r.usageFrom}::date AND cl.usage_date < ${r.usageTo}::date
                      AND cl.seq > ${BigInt(r.seqFrom)} AND cl.seq <= ${BigInt(r.seqTo)})`,
      ),
      ' OR ',
    );
    const rows = await db.$queryRaw<
      {
        account_id: string;
        usage_date: string;
        amount: string;
        grants: string;
        eligible: string;
        lines: number;
      }[]
    >`
      SELECT cl.billing_account_id AS account_id, to_char(min(cl.usage_date), 'YYYY-MM-DD') AS usage_date,
             sum(cl.amount)::text AS amount, sum(cl.grant_amount)::text AS grants,
             sum(CASE WHEN cl.service_id = ANY(${BONUS_EXCLUDED_SERVICE_IDS as string[]}) THEN 0
                      ELSE cl.amount - cl.grant_amount END)::text AS eligible,
             count(*)::int AS lines
        FROM consumption_lines cl
        LEFT JOIN unnest(${spans.map((d) => d.accountId)}::text[], ${spans.map((d) => d.from)}::date[],
                         ${spans.map((d) => d.to)}::date[]) AS s(account_id, from_day, to_day)
          ON s.account_id = cl.billing_account_id
       WHERE cl.billing_account_id = ANY(${accounts}) AND (${inRanges})
       GROUP BY cl.billing_account_id, ${dayOf}`;
    return rows.map((row) => ({
      accountId: row.account_id,
      date: row.usage_date,
      amount: row.amount,
      grants: row.grants,
      eligible: row.eligible,
      lines: row.lines,
    }));
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
   * projectsWithConsumption for a batch of partners in one query: each partner's projects
   * (oldest first) with the month's consumption of the project's cloud (and folder) on the
   * partner's accounts, up to the watermark and before the partner's exit date.
   */
  async function projectsOfBatch(
    partners: { partnerId: string; accounts: string[]; until: string | null }[],
    month: string,
    watermark: string,
  ): Promise<Map<string, VarMonthInput['projects'][number][]>> {
    const out = new Map<string, VarMonthInput['projects'][number][]>(
      partners.map((p) => [p.partnerId, []]),
    );
    if (partners.length === 0) return out;
    const owners = partners.flatMap((p) => p.accounts.map(() => p.partnerId));
    const accounts = partners.flatMap((p) => p.accounts);
    const rows = await db.$queryRaw<
      {
        id: string;
        partner_id: string;
        registered_on: Date;
        baseline_monthly: Prisma.Decimal;
        rate: Prisma.Decimal;
        total: Prisma.Decimal | null;
      }[]
    >`
      WITH owned AS (SELECT o.partner_id, array_agg(o.account_id) AS accounts
                       FROM unnest(${owners}::uuid[], ${accounts}::text[]) AS o(partner_id, account_id)
                      GROUP BY o.partner_id),
           limits AS (SELECT * FROM unnest(${partners.map((p) => p.partnerId)}::uuid[],
                                           ${partners.map((p) => p.until)}::date[]) AS l(partner_id, until))
      SELECT p.id::text AS id, p.partner_id::text AS partner_id, p.registered_on, p.baseline_monthly,
             p.rate,
             (SELECT sum(cl.amount) FROM consumption_lines cl
               WHERE cl.billing_account_id = ANY(o.accounts)
                 AND cl.cloud_id = p.cloud_id
                 AND (p.folder_id IS NULL OR cl.folder_id = p.folder_id)
                 AND cl.usage_date >= ${monthStart(month)}::date AND cl.usage_date < ${nextMonthStart(month)}::date
                 AND (l.until IS NULL OR cl.usage_date < l.until)
                 AND cl.seq <= ${BigInt(watermark)}) AS total
        FROM projects p
        JOIN limits l ON l.partner_id = p.partner_id
        JOIN owned o ON o.partner_id = p.partner_id
       ORDER BY p.created_at, p.id`;
    for (const row of rows) {
      out.get(row.partner_id)?.push({
        projectId: row.id,
        registeredOn: isoDate(row.registered_on),
        baselineMonthly: row.baseline_monthly.toString(),
        rate: row.rate.toString(),
        consumptionThisMonth: dec(row.total),
      });
    }
    return out;
  }

  /** What interim and final invoices of these partner-months billed, in one query. */
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

  async function billingBasis(partnerId: string, month: string, client: Tx | Database = db) {
    return (await billingBases([partnerId], month, client)).get(partnerId) as BillingBasis;
  }

  /** The newest month with a close (any status), read in the caller's transaction. */
  async function newestCloseMonth(client: Tx | Database = db): Promise<string | null> {
    const row = await client.monthClose.findFirst({
      orderBy: { month: 'desc' },
      select: { month: true },
    });
    return row?.month ?? null;
  }

  /**
   * Settlement inputs of a batch of partners at a close's plan, read with a few queries for
   * the whole batch rather than a few per partner: the close's hot path. Partners with
   * nothing special share one aggregate; a partner with interim or final invoices this
   * month, or who left, gets its own (its ranges are cut differently).
   */
  async function closeInputs(
    partners: ClosePartner[],
    plan: ClosePlan,
    given?: Map<string, BillingBasis>,
  ): Promise<Map<string, CloseInput>> {
    const { month } = plan;
    const billing = partners.filter((p) => p.billableFrom !== null);
    const ids = billing.map((p) => p.partnerId);
    const bases = given ?? (await billingBases(ids, month));
    const children = await db.billingAccount.findMany({
      where: { parentId: { in: billing.map((p) => p.ownAccountId) } },
      select: { id: true, parentId: true },
    });
    const accountsByOwner = new Map(billing.map((p) => [p.ownAccountId, [p.ownAccountId]]));
    for (const child of children) accountsByOwner.get(child.parentId as string)?.push(child.id);

    const rangesOf = (partner: ClosePartner) =>
      monthlyRanges({
        month,
        billableFrom: partner.billableFrom as string,
        until: partner.exitDate,
        ownBilledUpTo: bases.get(partner.partnerId)?.billedUpTo ?? '0',
        previousWatermark: plan.previousWatermark,
        watermark: plan.watermark,
        ...(plan.lateUntil !== undefined ? { lateUntil: plan.lateUntil } : {}),
      });

    // The shared aggregate reads the widest candidate ranges; each partner then keeps the days
    // inside its own ranges (its billable start can be later than the program's). Both are
    // whole months, so accounts without a deal come back as one sum per month.
    const dealsFor = await dealsOf(ids);
    const simple = billing.filter(
      (p) =>
        p.exitDate === null &&
        bases.get(p.partnerId)?.billedUpTo === '0' &&
        rangesOf(p).every(coversWholeMonths),
    );
    const ownerOfAccount = new Map<string, string>();
    for (const p of simple) {
      for (const account of accountsByOwner.get(p.ownAccountId) ?? []) {
        ownerOfAccount.set(account, p.partnerId);
      }
    }
    const widest = monthlyRanges({
      month,
      billableFrom: firstDayOf(programFirstMonth),
      until: null,
      ownBilledUpTo: '0',
      previousWatermark: plan.previousWatermark,
      watermark: plan.watermark,
    });
    const byDay = daysSettledByDay(simple.flatMap((p) => dealsFor(p.partnerId)));
    const shared = simple.length
      ? await daysIn(
          [...ownerOfAccount.keys()],
          widest,
          widest.every(coversWholeMonths) ? byDay : undefined,
        )
      : [];
    const daysOf = new Map<string, DayRow[]>(simple.map((p) => [p.partnerId, []]));
    for (const day of shared) daysOf.get(ownerOfAccount.get(day.accountId) as string)?.push(day);

    const [terms, withdrawals] = await Promise.all([
      programTerms(),
      db.withdrawal.groupBy({
        by: ['partnerId'],
        where: { partnerId: { in: ids }, month, target: 'bonus' },
        _sum: { amount: true },
      }),
    ]);
    const withdrawn = new Map(withdrawals.map((w) => [w.partnerId, w._sum.amount]));
    const settledElsewhereOf = (partner: ClosePartner) =>
      settledByFinalInvoice({
        finalInvoiceIssued: bases.get(partner.partnerId)?.finalInvoiceId != null,
        afterExitMonth: partner.exitDate !== null && month > exitMonthOf(partner.exitDate),
      });
    const projectsOf = await projectsOfBatch(
      billing
        .filter((p) => !settledElsewhereOf(p))
        .map((p) => ({
          partnerId: p.partnerId,
          accounts: accountsByOwner.get(p.ownAccountId) ?? [p.ownAccountId],
          until: p.exitDate,
        })),
      month,
      plan.watermark,
    );

    const inputs = new Map<string, CloseInput>();
    for (const partner of billing) {
      const basis = bases.get(partner.partnerId) as BillingBasis;
      const accounts = accountsByOwner.get(partner.ownAccountId) ?? [partner.ownAccountId];
      const ranges = rangesOf(partner);
      const inside = (day: DayRow) =>
        ranges.some((r) => day.date >= r.usageFrom && day.date < r.usageTo);
      const found =
        daysOf.get(partner.partnerId)?.filter(inside) ?? (await daysIn(accounts, ranges));
      const days = found.filter((d) => d.date >= monthStart(month)).sort(byAccountAndDate);
      const adjustments = found.filter((d) => d.date < monthStart(month)).sort(byAccountAndDate);
      const afterExit = partner.exitDate !== null && month > exitMonthOf(partner.exitDate);
      const settledElsewhere = settledByFinalInvoice({
        finalInvoiceIssued: basis.finalInvoiceId !== null,
        afterExitMonth: afterExit,
      });
      const requested = withdrawn.get(partner.partnerId);
      inputs.set(partner.partnerId, {
        ranges,
        days: found,
        input: {
          month,
          ownAccountId: partner.ownAccountId,
          terms,
          days,
          adjustments,
          deals: dealsFor(partner.partnerId),
          projects: settledElsewhere ? [] : (projectsOf.get(partner.partnerId) ?? []),
          specializations:
            isQuarterEnd(month) && !settledElsewhere
              ? await specializationQuarter(partner.partnerId, accounts, month, plan)
              : [],
          rebateWithdrawalToBonus:
            settledElsewhere || !requested || requested.isZero()
              ? null
              : { requested: requested.toFixed(2), balance: requested.toFixed(2) },
        },
      });
    }
    return inputs;
  }

  /**
   * Writes invoices with their lines and ledger ranges (a few statements for any number of
   * invoices), then each one's withdrawal return, advance draw-down and rebate accruals — all
   * in the caller's transaction. Returns how many invoices were inserted; an invoice whose
   * unique key (partner, month, kind, sequence) was taken is skipped, with nothing of it
   * written. A range overlapping one already billed fails the transaction with
   * LedgerOverlapError.
   */
  async function writeInvoices(tx: Tx, invoices: InvoiceWrite[]): Promise<number> {
    if (invoices.length === 0) return 0;
    const col = <T>(f: (i: InvoiceWrite) => T) => invoices.map(f);
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO invoices (id, number, partner_id, month, kind, sequence, issued_at, due_date,
                            consumption_total, grants_total, eligible_base, discount_total, payable,
                            vat_rate, vat_amount, advance_covered, seq_from, seq_to)
      SELECT i.id, i.number, i.partner_id, i.month, i.kind::"InvoiceKind", i.sequence, i.issued_at, i.due_date,
             i.consumption_total, i.grants_total, i.eligible_base, i.discount_total, i.payable,
             i.vat_rate, i.vat_amount, 0, i.seq_from, i.seq_to
        FROM unnest(${col((i) => i.row.id)}::uuid[], ${col((i) => i.row.number)}::text[],
                    ${col((i) => i.row.partner.partnerId)}::uuid[], ${col((i) => i.row.month)}::text[],
                    ${col((i) => i.row.kind)}::text[], ${col((i) => i.row.sequence)}::int[],
                    ${col((i) => i.row.issuedAt)}::timestamptz[],
                    ${col((i) => i.row.dueDate)}::date[],
                    ${col((i) => i.settlement.totals.consumptionTotal)}::numeric[],
                    ${col((i) => i.settlement.totals.grantsTotal)}::numeric[],
                    ${col((i) => i.settlement.totals.eligibleBase)}::numeric[],
                    ${col((i) => i.settlement.totals.discountTotal)}::numeric[],
                    ${col((i) => i.settlement.totals.payable)}::numeric[],
                    ${col((i) => i.settlement.vatRate)}::numeric[],
                    ${col((i) => i.settlement.totals.vatIncluded)}::numeric[],
                    ${col((i) => BigInt(i.row.seqFrom))}::bigint[],
                    ${col((i) => BigInt(i.row.seqTo))}::bigint[])
             AS i(id, number, partner_id, month, kind, sequence, issued_at, due_date, consumption_total,
                  grants_total, eligible_base, discount_total, payable, vat_rate, vat_amount,
                  seq_from, seq_to)
      ON CONFLICT (partner_id, month, kind, sequence) DO NOTHING
      RETURNING id::text AS id`;
    const written = new Set(inserted.map((r) => r.id));
    const kept = invoices.filter((i) => written.has(i.row.id));
    // The lines in one statement too: a few arrays instead of every field of every line bound.
    const lines = kept.flatMap(({ row, settlement }) =>
      lineRows(settlement).map((line) => ({ ...line, invoiceId: row.id })),
    );
    if (lines.length > 0) {
      const lcol = <T>(f: (l: (typeof lines)[number]) => T) => lines.map(f);
      await tx.$executeRaw`
        INSERT INTO invoice_lines (invoice_id, position, kind, description, rule, rate, base, amount,
                                   deal_id, account_id, details)
        SELECT l.invoice_id, l.position, l.kind, l.description, l.rule, l.rate, l.base, l.amount,
               l.deal_id, l.account_id, l.details::jsonb
          FROM unnest(${lcol((l) => l.invoiceId)}::uuid[], ${lcol((l) => l.position)}::int[],
                      ${lcol((l) => l.kind)}::text[], ${lcol((l) => l.description)}::text[],
                      ${lcol((l) => l.rule)}::text[], ${lcol((l) => l.rate)}::numeric[],
                      ${lcol((l) => (l.base === null ? null : l.base.toFixed(2)))}::numeric[],
                      ${lcol((l) => l.amount)}::numeric[], ${lcol((l) => l.dealId)}::uuid[],
                      ${lcol((l) => l.accountId)}::text[],
                      ${lcol((l) => JSON.stringify(l.details))}::text[])
               AS l(invoice_id, position, kind, description, rule, rate, base, amount, deal_id,
                    account_id, details)`;
    }
    const ranges = kept.flatMap((i) =>
      i.ranges.map((r) => ({ ...r, invoiceId: i.row.id, partnerId: i.row.partner.partnerId })),
    );
    if (ranges.length > 0) {
      const rcol = <T>(f: (r: (typeof ranges)[number]) => T) => ranges.map(f);
      try {
        await tx.$executeRaw`
          INSERT INTO billed_ranges (invoice_id, partner_id, kind, usage_from, usage_to, seq_from,
                                     seq_to, line_count, amount, grants)
          SELECT r.invoice_id, r.partner_id, r.kind::"BilledRangeKind", r.usage_from, r.usage_to,
                 r.seq_from, r.seq_to, r.line_count, r.amount, r.grants
            FROM unnest(${rcol((r) => r.invoiceId)}::uuid[], ${rcol((r) => r.partnerId)}::uuid[],
                        ${rcol((r) => r.kind)}::text[], ${rcol((r) => r.usageFrom)}::date[],
                        ${rcol((r) => r.usageTo)}::date[], ${rcol((r) => BigInt(r.seqFrom))}::bigint[],
                        ${rcol((r) => BigInt(r.seqTo))}::bigint[], ${rcol((r) => r.lines)}::int[],
                        ${rcol((r) => r.amount)}::numeric[], ${rcol((r) => r.grants)}::numeric[])
                 AS r(invoice_id, partner_id, kind, usage_from, usage_to, seq_from, seq_to,
                      line_count, amount, grants)`;
      } catch (error) {
        if (!isLedgerOverlap(error)) throw error;
        throw new LedgerOverlapError(
          `Invoices ${kept.map((i) => i.row.number).join(', ')} would bill consumption lines ` +
            'another invoice already billed; nothing was written',
        );
      }
    }
    await writeInvoiceEffects(tx, kept);
    return kept.length;
  }

  /**
   * What the invoices move besides themselves: withdrawal returns, advance draw-downs, rebate
   * accruals — a few statements for the whole batch rather than a few per invoice.
   */
  async function writeInvoiceEffects(tx: Tx, invoices: InvoiceWrite[]): Promise<void> {
    const returns: Prisma.RebateLedgerEntryCreateManyInput[] = [];
    const accruals: Prisma.RebateLedgerEntryCreateManyInput[] = [];
    for (const { row, settlement } of invoices) {
      const { id, partner } = row;
      if (settlement.withdrawal) {
        const unused = new Prisma.Decimal(settlement.withdrawal.requested).minus(
          settlement.withdrawal.applied,
        );
        if (unused.greaterThan(0)) {
          // Requested more than the invoice could take: the rest goes back to the balance.
          returns.push({
            partnerId: partner.partnerId,
            idempotencyKey: `withdrawal-return:${partner.partnerId}:${row.month}`,
            kind: 'withdrawal_to_bonus',
            amount: unused.toFixed(2),
            month: row.month,
            explanation: { reason: settlement.withdrawal.explanation, invoiceId: id },
          });
        }
      }
      for (const accrual of settlement.rebateAccruals) {
        if (accrual.amount === '0.00') continue;
        accruals.push({
          partnerId: partner.partnerId,
          idempotencyKey: `${accrual.kind}:${partner.partnerId}:${accrual.projectId ?? accrual.specialization ?? ''}:${accrual.period}`,
          kind: accrual.kind === 'project_growth' ? 'project_rebate' : 'specialization_rebate',
          amount: accrual.amount,
          month: row.month,
          projectId: accrual.projectId ?? null,
          explanation: JSON.parse(JSON.stringify(accrual)) as Prisma.InputJsonValue,
        });
      }
    }
    if (returns.length > 0) await tx.rebateLedgerEntry.createMany({ data: returns });

    // Advances: each payer's lock (in one order), every balance in one query, then each
    // invoice covered by what its payer has, at most its payable.
    const advance = invoices
      .filter((i) => i.row.partner.paymentModel === 'advance')
      .sort((a, b) => a.row.partner.partnerId.localeCompare(b.row.partner.partnerId));
    if (advance.length > 0) {
      const payers = advance.map((i) => i.row.partner.partnerId);
      const keys = payers.map((id) => `advance:${id}`);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(${keys}::text[]) AS k`;
      const balances = await tx.$queryRaw<{ partner_id: string; balance: Prisma.Decimal | null }[]>`
        SELECT partner_id::text AS partner_id, sum(amount) AS balance FROM advance_ledger
         WHERE partner_id = ANY(${payers}::uuid[]) GROUP BY partner_id`;
      const available = new Map(balances.map((b) => [b.partner_id, b.balance]));
      const draws: { partnerId: string; invoiceId: string; covered: string }[] = [];
      for (const { row, settlement } of advance) {
        const balance = available.get(row.partner.partnerId) ?? new Prisma.Decimal(0);
        const covered = Prisma.Decimal.max(
          0,
          Prisma.Decimal.min(balance, settlement.totals.payable),
        );
        if (!covered.greaterThan(0)) continue;
        available.set(row.partner.partnerId, balance.minus(covered));
        draws.push({
          partnerId: row.partner.partnerId,
          invoiceId: row.id,
          covered: covered.toFixed(2),
        });
      }
      if (draws.length > 0) {
        await tx.advanceLedgerEntry.createMany({
          data: draws.map((d) => ({
            partnerId: d.partnerId,
            idempotencyKey: `invoice:${d.invoiceId}:advance`,
            amount: new Prisma.Decimal(d.covered).negated().toFixed(2),
            invoiceId: d.invoiceId,
          })),
        });
        await tx.$executeRaw`
          UPDATE invoices i SET advance_covered = d.covered
            FROM unnest(${draws.map((d) => d.invoiceId)}::uuid[],
                        ${draws.map((d) => d.covered)}::numeric[]) AS d(id, covered)
           WHERE i.id = d.id`;
      }
    }
    if (accruals.length > 0) await tx.rebateLedgerEntry.createMany({ data: accruals });
  }

  function invoiceWrite(
    kind: InvoiceKind,
    partner: ClosePartner,
    month: string,
    sequence: number,
    issuedAt: Date,
    seq: { from: string; to: string },
    settlement: VarSettlement,
    ranges: RecordedRange[],
  ): InvoiceWrite {
    return {
      settlement,
      ranges,
      row: {
        id: randomUUID(),
        number: invoiceNumber(kind, month, partner.partnerId, sequence),
        partner,
        month,
        kind,
        sequence,
        issuedAt,
        dueDate: invoiceDueDate({
          kind,
          month,
          issuedOn: dateInMoscow(issuedAt),
          paymentModel: partner.paymentModel,
          paymentTermDays: partner.paymentTermDays,
        }),
        seqFrom: seq.from,
        seqTo: seq.to,
      },
    };
  }

  /**
   * Under the registry lock (shared) and the partner-month lock: is an interim or final
   * invoice of the month still allowed? Not once a close of the month or a later one began.
   */
  async function lockOpenPartnerMonth(tx: Tx, partnerId: string, month: string) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${partnerMonthLock(partnerId, month)}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${CLOSE_REGISTRY_LOCK}))`;
    return !isMonthClosed(month, await newestCloseMonth(tx));
  }

  async function issueMonthlyInvoices(
    items: {
      partner: ClosePartner;
      settlement: VarSettlement;
      basis: BillingBasis;
      ranges: RecordedRange[];
    }[],
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
        const toWrite: InvoiceWrite[] = [];
        for (const { partner, settlement, basis, ranges } of items) {
          if (result.has(partner.partnerId)) continue;
          const now = current.get(partner.partnerId);
          if (now?.billedUpTo !== basis.billedUpTo || now.finalInvoiceId !== basis.finalInvoiceId) {
            // A plain Error: the activity retries and settles again from the new basis.
            throw new Error(
              `Invoices of ${partner.partnerId} for ${plan.month} changed while settling (billed up to ${basis.billedUpTo} → ${now?.billedUpTo}); settling again`,
            );
          }
          toWrite.push(
            invoiceWrite(
              'monthly',
              partner,
              plan.month,
              0,
              issuedAt,
              { from: plan.previousWatermark, to: plan.watermark },
              settlement,
              ranges,
            ),
          );
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

  /**
   * Every billing account of a VAR partner with the partner's billable period (domain
   * billableFrom: the month its VAR membership began, never before the program's first month;
   * until its exit date once it has left). The reconciliation and the invariant read it.
   */
  const BILLABLE_OWNERS = Prisma.sql`
    SELECT x.account_id, p.id AS partner_id,
           greatest(date_trunc('month', v.var_start)::date, ${firstDayOf(programFirstMonth)}::date) AS billable_from,
           CASE WHEN p.status IN ('left', 'revoked') THEN p.exit_date END AS until
      FROM partners p
      JOIN (SELECT partner_id, min(start_date) AS var_start FROM program_memberships
             WHERE program = 'var' GROUP BY partner_id) v ON v.partner_id = p.id
      -- The own account and the subaccounts, each an equality join (an OR would not hash).
      JOIN (SELECT id AS account_id, id AS owner FROM billing_accounts
            UNION ALL
            SELECT id, parent_id FROM billing_accounts WHERE parent_id IS NOT NULL) x
        ON x.owner = p.billing_account_id`;

  /** See varPartners. `limit` null counts them all. */
  async function closePartnerRows(month: string, after: string | null, limit: number | null) {
    const plan = await db.monthClose.findUnique({ where: { month } });
    const previous = plan?.previousWatermark ?? 0n;
    const watermark = plan?.watermark ?? 0n;
    return db.$queryRaw<PartnerRow[]>`
      SELECT ${PARTNER_COLUMNS}
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

  /**
   * The earliest month from `from` (inclusive) to `to` (exclusive) with any consumption line
   * and no close: what blocks closing `to` in order.
   */
  async function openMonthsWithConsumption(
    client: Tx | Database,
    before: string,
  ): Promise<string[]> {
    const newest = await newestCloseMonth(client);
    const from = newest && newest >= programFirstMonth ? addMonths(newest, 1) : programFirstMonth;
    if (from >= before) return [];
    const rows = await client.$queryRaw<{ month: string }[]>`
      SELECT to_char(m, 'YYYY-MM') AS month
        FROM generate_series(${firstDayOf(from)}::date, ${firstDayOf(before)}::date - 1, interval '1 month') AS m
       WHERE EXISTS (SELECT 1 FROM consumption_lines cl
                      WHERE cl.usage_date >= m::date AND cl.usage_date < (m + interval '1 month')::date)
       ORDER BY m`;
    return rows.map((r) => r.month);
  }

  /** Why a close of `month` may not begin now, or null. A close that exists is joined. */
  async function closeOrder(client: Tx | Database, month: string) {
    if (await client.monthClose.findUnique({ where: { month } })) return null;
    const newest = await client.monthClose.findFirst({ orderBy: { month: 'desc' } });
    const open = await openMonthsWithConsumption(client, month);
    return closeOrderProblem({
      month,
      newest: newest ? { month: newest.month, status: newest.status } : null,
      earliestOpenMonthWithConsumption: open[0] ?? null,
    });
  }

  /**
   * A month's reconciliation: the month's billable consumption (every line of a VAR partner's
   * accounts dated in the month, within its billable period) beside what each invoice billed
   * for it, from the ledger, and the lines that arrived after the last close and wait for the
   * next one. The difference is exact; anything but zero means a line was lost or doubled.
   */
  /**
   * Lines of a month numbered up to the returned watermark had to be billed: the newest
   * completed close of this month or a later one billed every line up to its watermark, with
   * every close between this month and it completed too (the close completing now counts as
   * completed).
   */
  async function dueWatermark(month: string, completing?: true): Promise<bigint> {
    const [last] = await db.$queryRaw<{ watermark: bigint | null }[]>`
      SELECT max(c.watermark) AS watermark FROM month_closes c
       WHERE (c.status = 'completed' OR (${completing !== undefined} AND c.month = ${month}))
         AND c.month >= ${month}
         AND NOT EXISTS (SELECT 1 FROM month_closes r
                          WHERE r.status = 'running' AND r.month >= ${month} AND r.month <= c.month
                            AND NOT (${completing !== undefined} AND r.month = ${month}))`;
    return last?.watermark ?? 0n;
  }

  /**
   * The month's billable lines: all of them, and those numbered up to `due`. Read from the
   * consumption tallies that PostgreSQL keeps as lines are written (one small row per account,
   * month and writing statement; no row straddles a close's watermark), not from the lines:
   * a partner's billable period starts on the first of a month, so an account's month counts
   * whole or not at all, except in the month its partner left, whose few lines are read one
   * by one up to the exit date.
   */
  async function billableConsumption(month: string, due: bigint) {
    const [row] = await db.$queryRaw<
      {
        lines: bigint;
        amount: string;
        grants: string;
        due_lines: bigint;
        due_amount: string;
        due_grants: string;
      }[]
    >`
      WITH owners AS (${BILLABLE_OWNERS}), counted AS (
        SELECT t.lines, t.amount, t.grants, t.seq_to <= ${due} AS is_due
          FROM consumption_tallies t JOIN owners o ON o.account_id = t.billing_account_id
         WHERE t.usage_month = ${monthStart(month)}::date
           AND o.billable_from <= ${monthStart(month)}::date
           AND (o.until IS NULL OR o.until >= ${nextMonthStart(month)}::date)
        UNION ALL
        SELECT 1, cl.amount, cl.grant_amount, cl.seq <= ${due}
          FROM consumption_lines cl JOIN owners o ON o.account_id = cl.billing_account_id
         WHERE o.until > ${monthStart(month)}::date AND o.until < ${nextMonthStart(month)}::date
           AND o.billable_from <= ${monthStart(month)}::date
           AND cl.usage_date >= ${monthStart(month)}::date AND cl.usage_date < o.until
      )
      SELECT coalesce(sum(lines), 0)::bigint AS lines, coalesce(sum(amount), 0)::text AS amount,
             coalesce(sum(grants), 0)::text AS grants,
             coalesce(sum(lines) FILTER (WHERE is_due), 0)::bigint AS due_lines,
             coalesce(sum(amount) FILTER (WHERE is_due), 0)::text AS due_amount,
             coalesce(sum(grants) FILTER (WHERE is_due), 0)::text AS due_grants
        FROM counted`;
    return row;
  }

  /**
   * Folds the tallies a close covered, those numbered between the previous close's watermark
   * and its own, into one row per account and month, so that they stay few whatever the size
   * of the ingestion's statements. Both bounds are watermarks, so the rows still never
   * straddle one.
   */
  async function foldTallies(watermark: bigint) {
    await db.$executeRaw`
      WITH bounds AS (
        SELECT coalesce(max(watermark), 0) AS lower FROM month_closes WHERE watermark < ${watermark}
      ), split AS (
        SELECT t.billing_account_id, t.usage_month FROM consumption_tallies t, bounds
         WHERE t.seq_from >= bounds.lower AND t.seq_to <= ${watermark}
         GROUP BY 1, 2 HAVING count(*) > 1
      ), folded AS (
        DELETE FROM consumption_tallies t USING bounds, split
         WHERE t.seq_from >= bounds.lower AND t.seq_to <= ${watermark}
           AND t.billing_account_id = split.billing_account_id AND t.usage_month = split.usage_month
        RETURNING t.billing_account_id, t.usage_month, t.lines, t.amount, t.grants
      )
      INSERT INTO consumption_tallies (billing_account_id, usage_month, seq_from, seq_to, lines, amount, grants)
      SELECT f.billing_account_id, f.usage_month, bounds.lower, ${watermark}, sum(f.lines), sum(f.amount), sum(f.grants)
        FROM folded f, bounds
       GROUP BY f.billing_account_id, f.usage_month, bounds.lower`;
  }

  async function reconcile(month: string, completing?: true) {
    const due = await dueWatermark(month, completing);
    // One pass over the month's lines, no per-line look-up of the ledger: every range of the
    // month ends at or below `due` or starts at or above it (range bounds are interim
    // invoices' and closes' watermarks), so the lines up to `due` must add up to the ranges up
    // to it, and the lines above it, less the ranges above it, are waiting for the next close.
    const consumption = await billableConsumption(month, due);
    const billed = await db.$queryRaw<
      {
        invoice_id: string;
        number: string;
        partner_id: string;
        invoice_month: string;
        kind: string;
        range_kind: string;
        lines: bigint;
        amount: string;
        grants: string;
        up_to_due: boolean;
      }[]
    >`
      SELECT i.id::text AS invoice_id, i.number, i.partner_id::text AS partner_id, i.month AS invoice_month,
             i.kind::text AS kind, min(r.kind::text) AS range_kind,
             sum(r.line_count)::bigint AS lines, sum(r.amount)::text AS amount, sum(r.grants)::text AS grants,
             bool_and(r.seq_to <= ${due}) AS up_to_due
        FROM billed_ranges r JOIN invoices i ON i.id = r.invoice_id
       WHERE r.usage_from >= ${monthStart(month)}::date AND r.usage_from < ${nextMonthStart(month)}::date
       GROUP BY i.id
       ORDER BY i.issued_at, i.number`;
    const sums = (rows: typeof billed) => ({
      lines: rows.reduce((n, r) => n + Number(r.lines), 0),
      amount: rows.reduce((a, r) => a.plus(r.amount), new Prisma.Decimal(0)),
      grants: rows.reduce((a, r) => a.plus(r.grants), new Prisma.Decimal(0)),
    });
    const billedDue = sums(billed.filter((r) => r.up_to_due));
    const billedAfter = sums(billed.filter((r) => !r.up_to_due));
    const afterLines = Number((consumption?.lines ?? 0n) - (consumption?.due_lines ?? 0n));
    const afterAmount = new Prisma.Decimal(consumption?.amount ?? 0).minus(
      consumption?.due_amount ?? 0,
    );
    const afterGrants = new Prisma.Decimal(consumption?.grants ?? 0).minus(
      consumption?.due_grants ?? 0,
    );
    const close = await db.monthClose.findUnique({ where: { month } });
    return {
      month,
      close: close
        ? {
            status: close.status,
            watermark: close.watermark.toString(),
            completedAt: close.completedAt?.toISOString() ?? null,
            reconciledAt: close.reconciledAt?.toISOString() ?? null,
            differenceAtCompletion: close.reconciliationDifference?.toString() ?? null,
          }
        : null,
      consumption: {
        lines: Number(consumption?.lines ?? 0n),
        amount: consumption?.amount ?? '0',
        grants: consumption?.grants ?? '0',
      },
      billed: billed.map((row) => ({
        invoiceId: row.invoice_id,
        number: row.number,
        partnerId: row.partner_id,
        invoiceMonth: row.invoice_month,
        kind: row.kind,
        as: row.range_kind === 'adjustment' ? ('adjustment' as const) : ('own_month' as const),
        lines: Number(row.lines),
        amount: row.amount,
        grants: row.grants,
      })),
      pending: {
        lines: afterLines - billedAfter.lines,
        amount: afterAmount.minus(billedAfter.amount).toString(),
        grants: afterGrants.minus(billedAfter.grants).toString(),
      },
      /** Lines that a completed close had to bill and no invoice did. */
      missingLines: Number(consumption?.due_lines ?? 0n) - billedDue.lines,
      dueUpTo: due.toString(),
    };
  }

  return {
    /** Postpaid partners with a billing threshold that own any of these billing accounts. */
    async thresholdPartnersOf(accountIds: string[]): Promise<string[]> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT DISTINCT p.id FROM partners p
          JOIN billing_accounts a ON a.id = p.billing_account_id OR a.parent_id = p.billing_account_id
         WHERE a.id = ANY(${accountIds}) AND p.payment_model = 'postpaid' AND p.billing_threshold IS NOT NULL`;
      return rows.map((r) => r.id);
    },

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
          const open = await lockOpenPartnerMonth(tx, partnerId, month);
          const partner = await closePartnerById(partnerId);
          const row = await tx.partner.findUnique({ where: { id: partnerId } });
          if (!partner?.billableFrom || !row) return null;
          const watermark = (await committedWatermark(tx)).toString();
          const basis = await billingBasis(partnerId, month, tx);
          const candidate = partialMonthRange({
            month,
            billableFrom: partner.billableFrom,
            until: null,
            billedUpTo: basis.billedUpTo,
            watermark,
          });
          const days = candidate
            ? await daysIn(await accountsOf(partner.ownAccountId), [candidate])
            : [];
          const unbilled = days.reduce((sum, d) => sum.plus(d.amount), new Prisma.Decimal(0));
          const due = interimInvoiceDue({
            paymentModel: partner.paymentModel,
            threshold: row.billingThreshold?.toString() ?? null,
            departed: row.status === 'left' || row.status === 'revoked',
            monthClosed: !open,
            unbilled: unbilled.toString(),
          });
          if (!due || !candidate) return null;
          const settlement = settle({
            month,
            ownAccountId: partner.ownAccountId,
            terms: await programTerms(),
            days: [...days].sort(byAccountAndDate),
            adjustments: [],
            deals: (await dealsOf([partnerId]))(partnerId),
            projects: [],
            specializations: [],
            rebateWithdrawalToBonus: null,
          });
          const last = await tx.invoice.findFirst({
            where: { partnerId, month, kind: 'interim' },
            orderBy: { sequence: 'desc' },
          });
          const write = invoiceWrite(
            'interim',
            partner,
            month,
            (last?.sequence ?? 0) + 1,
            issuedAt,
            { from: basis.billedUpTo, to: watermark },
            settlement,
            recordedRanges([candidate], days),
          );
          if ((await writeInvoices(tx, [write])) !== 1) {
            throw new Error(`Interim invoice ${write.row.number} came first`);
          }
          return {
            invoiceId: write.row.id,
            number: write.row.number,
            created: true,
            payable: settlement.totals.payable,
          };
        },
        { timeout: 60_000 },
      );
    },

    /**
     * Starts (or resumes) a month's close. The first call fixes the watermark — the newest
     * consumption line it covers — so reruns and concurrent triggers settle the same lines.
     * Months close in order: a close that would skip an open month with consumption, or come
     * after a later month's, is refused with CloseOrderError.
     */
    async beginClose(month: string): Promise<ClosePlan> {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CLOSE_REGISTRY_LOCK}))`;
          const existing = await tx.monthClose.findUnique({ where: { month } });
          if (existing) {
            return {
              month,
              status: existing.status,
              watermark: existing.watermark.toString(),
              previousWatermark: existing.previousWatermark.toString(),
            };
          }
          // The watermark first: every line numbered up to it has committed, so the order
          // check below sees all of them.
          const watermark = await committedWatermark(tx);
          const problem = await closeOrder(tx, month);
          if (problem) throw new CloseOrderError(problem);
          const previous = await tx.monthClose.findFirst({
            where: { month: { lt: month } },
            orderBy: { month: 'desc' },
          });
          const created = await tx.monthClose.create({
            data: {
              month,
              status: 'running',
              watermark,
              previousWatermark: previous?.watermark ?? 0n,
            },
          });
          return {
            month,
            status: created.status,
            watermark: created.watermark.toString(),
            previousWatermark: created.previousWatermark.toString(),
          };
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    },

    /** Why a close of the month may not begin now (months close in order), or null. */
    closeOrderProblem: (month: string) => closeOrder(db, month),

    /** The open months with consumption before `month`, oldest first: what a catch-up closes. */
    openMonthsBefore: (month: string) => openMonthsWithConsumption(db, month),

    /** The newest month with a close: it and every earlier month count as closed. */
    newestCloseMonth: () => newestCloseMonth(db),

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

    /** The bases of a batch of partner-months, in one query. */
    billingBases: (partnerIds: string[], month: string) => billingBases(partnerIds, month),

    /** A batch of partners as the close needs them, in one query. */
    partnersForClose: (partnerIds: string[]) => partnersById(partnerIds),

    partnerForClose: (partnerId: string) => closePartnerById(partnerId),

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
      const inputs = await closeInputs([partner], plan, bases);
      const found = inputs.get(partner.partnerId);
      if (found) return found.input;
      // Never in the VAR program: nothing of it is billed.
      return {
        month: plan.month,
        ownAccountId: partner.ownAccountId,
        terms: await programTerms(),
        days: [],
        adjustments: [],
        deals: [],
        projects: [],
        specializations: [],
        rebateWithdrawalToBonus: null,
      };
    },

    /** The same for a batch, with the ledger ranges each input was read from. */
    closeInputs: (partners: ClosePartner[], plan: ClosePlan, bases?: Map<string, BillingBasis>) =>
      closeInputs(partners, plan, bases),

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
      const used = basis ?? (await billingBasis(partner.partnerId, plan.month));
      const read = (await closeInputs([partner], plan, new Map([[partner.partnerId, used]]))).get(
        partner.partnerId,
      );
      const issued = await issueMonthlyInvoices(
        [
          {
            partner,
            settlement,
            basis: used,
            ranges: read ? recordedRanges(read.ranges, read.days) : [],
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
      items: {
        partner: ClosePartner;
        settlement: VarSettlement;
        basis: BillingBasis;
        ranges: RecordedRange[];
      }[],
      plan: ClosePlan,
      issuedAt: Date,
    ) => issueMonthlyInvoices(items, plan, issuedAt),

    /**
     * The final settlement of a partner who left or was revoked (SPEC §4): one invoice for
     * the partial month up to the day before the exit date, with its rebate accruals and the
     * month's withdrawals to bonus. Nothing is issued once the month's close has begun (the
     * close bills it); a second call returns the invoice issued first. Consumption of the
     * partial month arriving later is billed by the month's close; earlier months' late
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
      const issued = await db.invoice.findFirst({ where: { partnerId, month, kind: 'final' } });
      if (issued) return { ...settledOf(issued, false), month };
      const coveredBy = { coveredBy: invoiceNumber('monthly', month, partnerId), month };
      if (isMonthClosed(month, await newestCloseMonth())) return coveredBy;
      if (!partner.billableFrom) return null;

      const basis = await billingBasis(partnerId, month);
      const watermark = await db.$transaction((tx) => committedWatermark(tx));
      const accounts = await accountsOf(partner.ownAccountId);
      const candidate = partialMonthRange({
        month,
        billableFrom: partner.billableFrom,
        until: partner.exitDate,
        billedUpTo: basis.billedUpTo,
        watermark: watermark.toString(),
      });
      const days = candidate ? await daysIn(accounts, [candidate]) : [];
      const requested = await db.withdrawal.aggregate({
        where: { partnerId, month, target: 'bonus' },
        _sum: { amount: true },
      });
      const withdrawn = requested._sum.amount;
      const settlement = settle({
        month,
        ownAccountId: partner.ownAccountId,
        terms: await programTerms(),
        days: [...days].sort(byAccountAndDate),
        adjustments: [],
        deals: (await dealsOf([partnerId]))(partnerId),
        projects: await projectsWithConsumption(
          partnerId,
          accounts,
          month,
          watermark.toString(),
          partner.exitDate,
        ),
        specializations: [],
        rebateWithdrawalToBonus:
          withdrawn && !withdrawn.isZero()
            ? { requested: withdrawn.toFixed(2), balance: withdrawn.toFixed(2) }
            : null,
      });
      return db.$transaction(async (tx) => {
        if (!(await lockOpenPartnerMonth(tx, partnerId, month))) return coveredBy;
        const now = await billingBasis(partnerId, month, tx);
        if (now.billedUpTo !== basis.billedUpTo || now.finalInvoiceId !== basis.finalInvoiceId) {
          // A plain Error: the activity retries and settles again from the new basis.
          throw new Error(
            `Invoices of ${partnerId} for ${month} changed while settling (billed up to ${basis.billedUpTo} → ${now.billedUpTo}); settling again`,
          );
        }
        const write = invoiceWrite(
          'final',
          partner,
          month,
          0,
          issuedAt,
          { from: basis.billedUpTo, to: watermark.toString() },
          settlement,
          candidate ? recordedRanges([candidate], days) : [],
        );
        if ((await writeInvoices(tx, [write])) !== 1) {
          throw new Error(`A final invoice for ${partnerId} ${month} came first`);
        }
        return {
          invoiceId: write.row.id,
          number: write.row.number,
          created: true,
          payable: settlement.totals.payable,
          month,
        };
      });
    },

    async recordProgress(month: string, settled: number, total: number): Promise<void> {
      await db.monthClose.update({
        where: { month },
        data: { partnersSettled: settled, partnersTotal: total },
      });
    },

    /**
     * Completes a close and records its reconciliation's difference (zero unless a line was
     * lost or doubled). Completing twice changes nothing.
     */
    async completeClose(
      month: string,
      at: Date,
      /** The month's billable lines up to the close's watermark, measured while settling. */
      measured?: { watermark: string; lines: number; amount: string },
    ): Promise<{ difference: string }> {
      const row = await db.monthClose.findUnique({ where: { month } });
      if (row?.status === 'completed' && row.reconciliationDifference !== null) {
        return { difference: row.reconciliationDifference.toString() };
      }
      let difference: string;
      const due = await dueWatermark(month, true);
      if (measured && BigInt(measured.watermark) === due) {
        // The lines up to the watermark were fixed when the close began: measured meanwhile,
        // they only need comparing with what the ledger recorded up to it.
        const [billed] = await db.$queryRaw<{ lines: bigint | null; amount: string | null }[]>`
          SELECT sum(line_count)::bigint AS lines, sum(amount)::text AS amount FROM billed_ranges
           WHERE usage_from >= ${monthStart(month)}::date AND usage_from < ${nextMonthStart(month)}::date
             AND seq_to <= ${due}`;
        ({ difference } = reconciliationDifference({
          consumption: { lines: measured.lines, amount: measured.amount },
          billed: [{ lines: Number(billed?.lines ?? 0n), amount: billed?.amount ?? '0' }],
          pending: { lines: 0, amount: '0' },
        }));
      } else {
        ({ difference } = reconciliationDifference(await reconcile(month, true)));
      }
      if (row) await foldTallies(row.watermark);
      await db.monthClose.updateMany({
        where: { month, status: 'running' },
        data: {
          status: 'completed',
          completedAt: at,
          reconciledAt: at,
          reconciliationDifference: difference,
        },
      });
      return { difference };
    },

    /**
     * The month's billable lines numbered up to a close's watermark: fixed once the close has
     * begun, so the close measures them while it settles its partners.
     */
    async measureBillable(month: string, watermark: string) {
      const row = await billableConsumption(month, BigInt(watermark));
      return {
        watermark,
        lines: Number(row?.due_lines ?? 0n),
        amount: row?.due_amount ?? '0',
      };
    },

    /** See reconcile. */
    reconciliation: (month: string) => reconcile(month),

    /**
     * The billing invariant, as one query: every consumption line billed at most once, and
     * every line that a completed close was due to bill billed. Returns the lines that break
     * it (at most `limit`); an empty list is the proof.
     */
    async ledgerViolations(limit = 100) {
      return db.$queryRaw<
        {
          seq: bigint;
          usage_date: string;
          partner_id: string;
          billed_by: number;
          problem: string;
        }[]
      >`
        WITH owners AS (${BILLABLE_OWNERS}), coverage AS (
          SELECT cl.seq, cl.usage_date, o.partner_id,
                 (cl.usage_date >= o.billable_from AND (o.until IS NULL OR cl.usage_date < o.until)) AS billable,
                 (SELECT count(*) FROM billed_ranges r
                   WHERE r.partner_id = o.partner_id
                     AND cl.usage_date >= r.usage_from AND cl.usage_date < r.usage_to
                     AND cl.seq > r.seq_from AND cl.seq <= r.seq_to)::int AS billed_by,
                 EXISTS (SELECT 1 FROM month_closes c
                          WHERE c.status = 'completed' AND c.month >= to_char(cl.usage_date, 'YYYY-MM')
                            AND c.watermark >= cl.seq
                            AND NOT EXISTS (SELECT 1 FROM month_closes r
                                             WHERE r.status = 'running'
                                               AND r.month >= to_char(cl.usage_date, 'YYYY-MM')
                                               AND r.month <= c.month)) AS due
            FROM consumption_lines cl JOIN owners o ON o.account_id = cl.billing_account_id
        )
        SELECT seq, to_char(usage_date, 'YYYY-MM-DD') AS usage_date, partner_id::text AS partner_id, billed_by,
               CASE WHEN billed_by > 1 THEN 'billed more than once'
                    WHEN NOT billable AND billed_by > 0 THEN 'billed outside the billable period'
                    ELSE 'due but not billed' END AS problem
          FROM coverage
         WHERE billed_by > 1 OR (NOT billable AND billed_by > 0) OR (billable AND due AND billed_by = 0)
         ORDER BY seq
         LIMIT ${limit}`;
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

    /**
     * The running invoice's plan: the newest line ingested so far, and the newest close's
     * watermark (the current month's earlier months are closed up to it).
     */
    async previewPlan(month: string): Promise<ClosePlan> {
      const [newest] = await db.$queryRaw<
        { max: bigint | null }[]
      >`SELECT max(seq) AS max FROM consumption_lines`;
      const previous = await db.monthClose.findFirst({
        where: { month: { lt: month } },
        orderBy: { month: 'desc' },
      });
      return {
        month,
        status: 'running',
        watermark: (newest?.max ?? 0n).toString(),
        previousWatermark: (previous?.watermark ?? 0n).toString(),
        // Lines of months not closed yet belong to their own closes, not to this invoice.
        lateUntil: previous ? firstDayOf(addMonths(previous.month, 1)) : null,
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
  };
}

export type SettlementRepository = ReturnType<typeof createSettlementRepository>;
