import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createSettlementActivities } from '../../activities/settlement.activities';
import { Money } from '../../domain/money';
import {
  BONUS_EXCLUDED_SERVICE_IDS,
  settleVarMonth,
  type ConsumptionDay,
  type VarMonthInput,
} from '../../domain/settlement';
import { addMonths, firstDayOf, monthOf } from '../../domain/settlement/dates';
import type { Database } from '../../prisma/client';
import { createConsumptionRepository } from '../../prisma/repositories/consumption.repository';
import { createSettlementRepository } from '../../prisma/repositories/settlement.repository';
import { testDatabase } from '../support/env';
import { createPartner } from '../support/fixtures';

/**
 * The billing invariant, model-based: random interleavings of ingestion (late lines for closed
 * and open months, batches sent again), closes of random months — in any order, two at once,
 * interrupted and run again — interim invoices at the threshold, exits with their final
 * invoices, and deals registered in the open period. After every step:
 *
 * - the ledger's one query finds no line billed twice, none billed outside its partner's
 *   billable period, and none that a completed close was due to bill and did not;
 * - every invoice is the domain's settlement of exactly the lines its ledger ranges hold;
 * - a close refused for its order changed nothing, and a rerun of a completed close adds
 *   nothing at all.
 *
 * At the end every month is closed in order, and each month's reconciliation must show every
 * line billed, to the kopeck. A failure prints the commands and fast-check's seed and path;
 * replay with MODEL_SEED=<seed> MODEL_PATH=<path>. MODEL_RUNS sets the number of scenarios.
 */
const FIRST_MONTH = '2026-01';
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
const SERVICES = [
  'compute',
  'object-storage',
  'marketplace',
  'managed-mongodb',
  'cloud-interconnect',
];
const RUNS = Number(process.env.MODEL_RUNS ?? 120);

interface PartnerState {
  id: string;
  ownAccountId: string;
  accounts: string[];
  status: 'active' | 'left';
  startDate: string;
}

interface Model {
  /** Months with a close, and whether it completed. */
  closes: Map<string, 'running' | 'completed'>;
  monthsWithLines: Set<string>;
  partners: PartnerState[];
  /** Every account lines can go to: the partners' and one that belongs to nobody. */
  accounts: string[];
  sent: LineSpec[][];
  lineNo: number;
}

type Acts = ReturnType<typeof createSettlementActivities>;

interface Real {
  db: Database;
  /** Runs one of the real settlement activities in an activity context. */
  act: <K extends keyof Acts>(
    name: K,
    input: Parameters<Acts[K]>[0],
  ) => Promise<Awaited<ReturnType<Acts[K]>>>;
  ingest: (
    lines: Parameters<ReturnType<typeof createConsumptionRepository>['ingest']>[0],
  ) => Promise<unknown>;
  ledger: ReturnType<typeof createSettlementRepository>;
  checked: Set<string>;
  tag: string;
}

interface LineSpec {
  account: number;
  month: number;
  day: number;
  /** Millionths of a ruble. */
  micros: number;
  grantPercent: number;
  service: number;
}

const newestClose = (m: Model) => [...m.closes.keys()].sort().at(-1) ?? null;
/** The model's own account of the order rule: what would block a close of `month`. */
function blocked(m: Model, month: string): boolean {
  if (m.closes.has(month)) return false;
  const newest = newestClose(m);
  if (newest && newest > month) return true;
  return [...m.monthsWithLines].some((x) => x < month && (newest === null || x > newest));
}
function firstOpenDate(m: Model): string {
  const newest = newestClose(m);
  return newest ? firstDayOf(addMonths(newest, 1)) : firstDayOf(FIRST_MONTH);
}
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The whole close, as the workflow runs it: begin, list, settle in batches, complete. */
async function runClose(r: Real, month: string, options: { stopAfterBatches?: number } = {}) {
  const plan = await r.act('beginMonthClose', { month });
  // As the workflow does: the month's lines up to the watermark, measured while settling.
  const measured =
    plan.status === 'running'
      ? await r.act('measureMonthConsumption', { month, watermark: plan.watermark })
      : undefined;
  let after: string | null = null;
  let batches = 0;
  for (;;) {
    const page = await r.act('listClosePartners', { month, after, limit: 2 });
    if (page.length === 0) break;
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) return;
    await r.act('settlePartners', { plan, partnerIds: page });
    batches += 1;
    after = page[page.length - 1] as string;
  }
  if (options.stopAfterBatches !== undefined) return;
  await r.act('completeMonthClose', { month, ...(measured ? { measured } : {}) });
}

function isOrderRefusal(error: unknown): boolean {
  return error instanceof ApplicationFailure && error.type === 'CloseOrderError';
}

/** Row counts of everything a close may write. */
async function footprint(db: Database) {
  const [row] = await db.$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM month_closes) AS closes, (SELECT count(*) FROM invoices) AS invoices,
           (SELECT count(*) FROM invoice_lines) AS lines, (SELECT count(*) FROM billed_ranges) AS ranges,
           (SELECT count(*) FROM rebate_ledger) AS rebates, (SELECT count(*) FROM advance_ledger) AS advances,
           (SELECT count(*) FROM commission_statements) AS statements`;
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** The ledger's invariant and each new invoice against the domain's rules on its lines. */
async function checkInvariants(r: Real): Promise<void> {
  expect(await r.ledger.ledgerViolations()).toEqual([]);
  // The tallies the reconciliation reads agree with the lines, per account and month, and
  // none straddles a close's watermark (the reconciliation splits them there).
  const tallies = await r.db.$queryRaw<{ problem: string }[]>`
    WITH lines AS (
      SELECT billing_account_id, date_trunc('month', usage_date)::date AS usage_month,
             count(*) AS n, sum(amount) AS amount, sum(grant_amount) AS grants
        FROM consumption_lines GROUP BY 1, 2
    ), tallied AS (
      SELECT billing_account_id, usage_month, sum(lines) AS n, sum(amount) AS amount, sum(grants) AS grants
        FROM consumption_tallies GROUP BY 1, 2
    )
    SELECT 'account ' || coalesce(l.billing_account_id, t.billing_account_id) || ' month ' ||
           coalesce(l.usage_month, t.usage_month) || ': lines ' || coalesce(l.n, 0) || '/' || coalesce(l.amount, 0) ||
           ', tallies ' || coalesce(t.n, 0) || '/' || coalesce(t.amount, 0) AS problem
      FROM lines l FULL JOIN tallied t USING (billing_account_id, usage_month)
     WHERE (l.n, l.amount, l.grants) IS DISTINCT FROM (t.n, t.amount, t.grants)
    UNION ALL
    SELECT 'tally ' || t.id || ' straddles the watermark ' || c.watermark || ' of ' || c.month
      FROM consumption_tallies t JOIN month_closes c ON t.seq_from < c.watermark AND c.watermark < t.seq_to`;
  expect(tallies).toEqual([]);
  const terms = await r.db.programTerm.findMany({ orderBy: { effectiveFrom: 'asc' } });
  const schedule = (kind: 'base_bonus_rate' | 'vat_rate') =>
    terms
      .filter((t) => t.kind === kind)
      .map((t) => ({ from: t.effectiveFrom.toISOString().slice(0, 10), rate: t.rate.toString() }));
  const invoices = await r.db.invoice.findMany({
    where: { id: { notIn: [...r.checked] } },
    include: { lines: { orderBy: { position: 'asc' } }, billedRanges: true },
  });
  for (const invoice of invoices) {
    const partner = await r.db.partner.findUniqueOrThrow({ where: { id: invoice.partnerId } });
    const children = await r.db.billingAccount.findMany({
      where: { parentId: partner.billingAccountId },
    });
    const accounts = [partner.billingAccountId, ...children.map((c) => c.id)];
    const lines = await r.db.consumptionLine.findMany({
      where: { billingAccountId: { in: accounts } },
    });
    const days = new Map<string, ConsumptionDay & { n: number }>();
    for (const range of invoice.billedRanges) {
      let n = 0;
      let amount = new Money(0);
      for (const line of lines) {
        const date = line.usageDate.toISOString().slice(0, 10);
        const inside =
          date >= range.usageFrom.toISOString().slice(0, 10) &&
          date < range.usageTo.toISOString().slice(0, 10) &&
          line.seq > range.seqFrom &&
          line.seq <= range.seqTo;
        if (!inside) continue;
        n += 1;
        amount = amount.plus(line.amount.toString());
        const key = `${line.billingAccountId}|${date}`;
        const day = days.get(key) ?? {
          accountId: line.billingAccountId,
          date,
          amount: '0',
          grants: '0',
          eligible: '0',
          n: 0,
        };
        const net = new Money(line.amount.toString()).minus(line.grantAmount.toString());
        days.set(key, {
          ...day,
          amount: new Money(day.amount).plus(line.amount.toString()).toFixed(),
          grants: new Money(day.grants).plus(line.grantAmount.toString()).toFixed(),
          eligible: BONUS_EXCLUDED_SERVICE_IDS.includes(line.serviceId)
            ? day.eligible
            : new Money(day.eligible).plus(net).toFixed(),
          n: day.n + 1,
        });
      }
      // What the ledger says the range billed is what it holds.
      expect({ lines: range.lineCount, amount: range.amount.toString() }).toEqual({
        lines: n,
        amount: new Money(amount).toFixed(),
      });
    }
    const all = [...days.values()]
      .map(({ n: _n, ...day }) => day)
      .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.date.localeCompare(b.date));
    const deals = await r.db.deal.findMany({
      where: { partnerId: invoice.partnerId },
      orderBy: { createdAt: 'asc' },
    });
    const input: VarMonthInput = {
      month: invoice.month,
      ownAccountId: partner.billingAccountId,
      terms: { baseBonusRates: schedule('base_bonus_rate'), vatRates: schedule('vat_rate') },
      days: all.filter((d) => monthOf(d.date) === invoice.month),
      adjustments: all.filter((d) => monthOf(d.date) < invoice.month),
      deals: deals.map((d) => ({
        dealId: d.id,
        customerAccountId: d.customerAccountId,
        upliftRate: d.upliftRate.toString(),
        from: d.startDate.toISOString().slice(0, 10),
        to: d.endDate ? d.endDate.toISOString().slice(0, 10) : null,
      })),
      projects: [],
      specializations: [],
      rebateWithdrawalToBonus: null,
    };
    expect(all.every((d) => monthOf(d.date) <= invoice.month)).toBe(true);
    const expected = settleVarMonth(input);
    expect({
      number: invoice.number,
      payable: invoice.payable.toFixed(2),
      consumption: invoice.consumptionTotal.toFixed(2),
      discount: invoice.discountTotal.toFixed(2),
      lines: invoice.lines.map((l) => [l.kind, l.amount.toFixed(2)]),
    }).toEqual({
      number: invoice.number,
      payable: expected.totals.payable,
      consumption: expected.totals.consumptionTotal,
      discount: expected.totals.discountTotal,
      lines: expected.lines.map((l) => [l.kind, l.amount]),
    });
    r.checked.add(invoice.id);
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Ingest implements Cmd {
  constructor(
    readonly lines: LineSpec[],
    readonly resend: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const batch = this.resend && m.sent.length ? (m.sent.at(-1) as LineSpec[]) : this.lines;
    const first = this.resend && m.sent.length ? m.lineNo - batch.length : m.lineNo;
    const input = batch.map((l, i) => {
      const amount = new Money(l.micros).div(1_000_000);
      const account = m.accounts[l.account % m.accounts.length] as string;
      return {
        sourceId: `${r.tag}-${first + i}`,
        billingAccountId: account,
        cloudId: `cloud-${account}`,
        folderId: 'folder',
        serviceId: SERVICES[l.service] as string,
        sku: 'sku',
        usageDate: `${MONTHS[l.month]}-${String(l.day).padStart(2, '0')}`,
        amount: amount.toFixed(),
        grantAmount: amount.mul(l.grantPercent).div(100).toDecimalPlaces(6).toFixed(),
      };
    });
    await r.ingest(input);
    if (!(this.resend && m.sent.length)) {
      m.sent.push(batch);
      m.lineNo += batch.length;
    }
    for (const l of batch) m.monthsWithLines.add(MONTHS[l.month] as string);
    await checkInvariants(r);
  }
  toString = () =>
    this.resend
      ? 'ingest(the previous batch again)'
      : `ingest(${this.lines.map((l) => `acct${l.account}:${MONTHS[l.month]}-${l.day}:${l.micros}µ:${l.grantPercent}%g:${SERVICES[l.service]}`).join(' ')})`;
}

class Close implements Cmd {
  constructor(
    readonly month: number,
    readonly copies: 1 | 2,
    readonly stopAfterBatches: number | null,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const month = MONTHS[this.month] as string;
    const refused = blocked(m, month);
    const before = await footprint(r.db);
    const wasCompleted = m.closes.get(month) === 'completed';
    const options =
      this.stopAfterBatches === null ? {} : { stopAfterBatches: this.stopAfterBatches };
    const outcomes = await Promise.allSettled(
      Array.from({ length: this.copies }, () => runClose(r, month, options)),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        if (!refused || !isOrderRefusal(outcome.reason)) throw outcome.reason;
      } else {
        expect(refused).toBe(false);
      }
    }
    if (refused || wasCompleted) {
      // Refused: nothing written. Completed before: a rerun adds nothing, not even a 0.00.
      expect(await footprint(r.db)).toEqual(before);
    } else {
      m.closes.set(month, this.stopAfterBatches === null ? 'completed' : 'running');
      if (this.stopAfterBatches === null) {
        const row = await r.db.monthClose.findUniqueOrThrow({ where: { month } });
        expect(row.reconciliationDifference?.toString()).toBe('0');
      }
    }
    await checkInvariants(r);
  }
  toString = () =>
    `close(${MONTHS[this.month]}${this.copies === 2 ? ', twice at once' : ''}${this.stopAfterBatches === null ? '' : `, crash after ${this.stopAfterBatches} batch(es)`})`;
}

class CloseTwoAtOnce implements Cmd {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const months = [MONTHS[this.a] as string, MONTHS[this.b] as string];
    const outcomes = await Promise.allSettled(months.map((month) => runClose(r, month)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        if (!isOrderRefusal(outcome.reason)) throw outcome.reason;
      } else {
        m.closes.set(months[i] as string, 'completed');
      }
    });
    // Whatever the interleaving, the closes that were let in respect the order.
    const closed = await r.db.monthClose.findMany();
    for (const close of closed) m.closes.set(close.month, close.status);
    await checkInvariants(r);
  }
  toString = () => `closeAtOnce(${MONTHS[this.a]}, ${MONTHS[this.b]})`;
}

class Interim implements Cmd {
  constructor(
    readonly partner: number,
    readonly month: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const partner = m.partners[this.partner % m.partners.length] as PartnerState;
    const month = MONTHS[this.month] as string;
    const issued = await r.act('issueInterimInvoiceIfDue', {
      partnerId: partner.id,
      month,
    });
    const newest = newestClose(m);
    if (newest !== null && month <= newest) expect(issued).toBeNull();
    if (partner.status === 'left') expect(issued).toBeNull();
    await checkInvariants(r);
  }
  toString = () => `interim(partner${this.partner % 3}, ${MONTHS[this.month]})`;
}

class Exit implements Cmd {
  constructor(
    readonly partner: number,
    readonly days: number,
  ) {}
  check = (m: Readonly<Model>) =>
    m.partners.filter((p) => p.status === 'active').length > 1 &&
    m.partners[this.partner % m.partners.length]?.status === 'active';
  async run(m: Model, r: Real) {
    const partner = m.partners[this.partner % m.partners.length] as PartnerState;
    // Exits happen now, in the open period; an exit date is at least a day after the start.
    let exitDate = plusDays(firstOpenDate(m), this.days);
    if (exitDate <= partner.startDate) exitDate = plusDays(partner.startDate, 1);
    // Consumption is reported after the day it was used, so now is later than every usage
    // date sent, and an exit (notice or revocation) is never dated before now. (Without this
    // the model dated an exit 2026-01-22 after an interim invoice had billed a line of
    // 2026-02-06 — seed -285235751, path 93 — a sequence the calendar never allows.)
    const latestUsage = m.sent
      .flat()
      .map((l) => `${MONTHS[l.month]}-${String(l.day).padStart(2, '0')}`)
      .sort()
      .at(-1);
    if (latestUsage && exitDate <= latestUsage) exitDate = plusDays(latestUsage, 1);
    await r.db.partner.update({
      where: { id: partner.id },
      data: { status: 'left', exitDate: new Date(`${exitDate}T00:00:00Z`), endedAt: new Date() },
    });
    await r.db.programMembership.updateMany({
      where: { partnerId: partner.id },
      data: { endDate: new Date(Date.parse(`${exitDate}T00:00:00Z`) - 86_400_000) },
    });
    partner.status = 'left';
    await r.act('settleFinalMonth', { partnerId: partner.id });
    await checkInvariants(r);
  }
  toString = () => `exit(partner${this.partner % 3}, open date + ${this.days} days)`;
}

class RegisterDeal implements Cmd {
  constructor(
    readonly partner: number,
    readonly days: number,
    readonly ratePercent: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const partner = m.partners[this.partner % m.partners.length] as PartnerState;
    // Backdated as far as the rules allow: never into a closed month.
    const start = plusDays(firstOpenDate(m), this.days);
    await r.db.deal.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        customerAccountId: partner.accounts[1] as string,
        upliftRate: (this.ratePercent / 100).toFixed(2),
        startDate: new Date(`${start}T00:00:00Z`),
        registeredBy: 'model',
      },
    });
    await checkInvariants(r);
  }
  toString = () =>
    `deal(partner${this.partner % 3}, open date + ${this.days} days, ${this.ratePercent}%)`;
}

const line = fc.record({
  account: fc.nat(9),
  month: fc.nat(MONTHS.length - 1),
  day: fc.integer({ min: 1, max: 28 }),
  micros: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constant(5_000)),
  grantPercent: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
  service: fc.nat(SERVICES.length - 1),
});
const monthIdx = fc.nat(MONTHS.length - 1);
const commands = [
  fc
    .tuple(fc.array(line, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([lines, resend]) => new Ingest(lines, resend && lines.length % 3 === 0)),
  fc
    .tuple(fc.array(line, { minLength: 1, maxLength: 4 }))
    .map(([lines]) => new Ingest(lines, false)),
  fc
    .tuple(monthIdx, fc.constantFrom<1 | 2>(1, 1, 2), fc.option(fc.nat(1), { freq: 4 }))
    .map(([month, copies, stop]) => new Close(month, copies, stop)),
  fc.tuple(monthIdx, monthIdx).map(([a, b]) => new CloseTwoAtOnce(a, b)),
  fc.tuple(fc.nat(2), monthIdx).map(([p, month]) => new Interim(p, month)),
  fc.tuple(fc.nat(2), fc.nat(40)).map(([p, days]) => new Exit(p, days)),
  fc
    .tuple(fc.nat(2), fc.nat(40), fc.integer({ min: 1, max: 15 }))
    .map(([p, days, rate]) => new RegisterDeal(p, days, rate)),
];

describe('billing ledger: every consumption line billed exactly once, in any order', () => {
  let db: Database;

  beforeAll(() => {
    db = testDatabase();
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  async function setup(): Promise<{ model: Model; real: Real }> {
    await db.$executeRawUnsafe(`
      TRUNCATE consumption_lines, billed_ranges, invoice_lines, invoices, month_closes, deals,
               program_memberships, partners, billing_accounts, rebate_ledger, withdrawals,
               advance_ledger, projects, specializations, commission_lines, commission_statements,
               referral_attributions, referral_links RESTART IDENTITY CASCADE`);
    const tag = randomUUID().slice(0, 8);
    const starts = ['2026-01-01', '2026-01-20', '2026-02-10'];
    const partners: PartnerState[] = [];
    for (const [i, start] of starts.entries()) {
      const p = await createPartner(db, {
        tag: `${tag}-${i}`,
        name: `Partner ${i}`,
        customers: 2,
        memberSince: start,
        billingThreshold: i === 1 ? '1500.00' : undefined,
        paymentModel: i === 2 ? 'advance' : 'postpaid',
      });
      partners.push({
        id: p.partnerId,
        ownAccountId: p.ownAccountId,
        accounts: [p.ownAccountId, ...p.customerIds],
        status: 'active',
        startDate: start,
      });
    }
    const stray = `stray-${tag}`;
    await db.billingAccount.create({
      data: {
        id: stray,
        organizationId: `org-stray-${tag}`,
        name: stray,
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
    // Refusals are expected here: keep the activity logger quiet.
    const quiet = {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const env = new MockActivityEnvironment(undefined, { logger: quiet });
    const ledger = createSettlementRepository(db, { programFirstMonth: FIRST_MONTH });
    const acts = createSettlementActivities({
      settlements: ledger,
      programFirstMonth: FIRST_MONTH,
      now: () => new Date('2026-06-15T09:00:00Z'),
    });
    const consumption = createConsumptionRepository(db);
    const real: Real = {
      db,
      act: (name, input) =>
        env.run((i: typeof input) => (acts[name] as (x: typeof input) => Promise<never>)(i), input),
      ingest: (lines) => consumption.ingest(lines),
      ledger,
      checked: new Set(),
      tag,
    };
    const model: Model = {
      closes: new Map(),
      monthsWithLines: new Set(),
      partners,
      accounts: [...partners.flatMap((p) => p.accounts), stray],
      sent: [],
      lineNo: 0,
    };
    return { model, real };
  }

  /** Closes every month in order through the last with lines; then everything is billed. */
  async function closeEverything(model: Model, real: Real) {
    // A close interrupted by a crash is resumed (the workflow would be, by Temporal).
    for (const [month, status] of [...model.closes].sort()) {
      if (status === 'running') await runClose(real, month);
      model.closes.set(month, 'completed');
    }
    const last = [...model.monthsWithLines, ...model.closes.keys()].sort().at(-1);
    if (!last) return;
    for (const month of MONTHS.filter((m) => m <= last)) {
      const newest = newestClose(model);
      if (newest !== null && month < newest) continue;
      await runClose(real, month);
      model.closes.set(month, 'completed');
    }
    // One more close after the last month bills every late line still pending.
    const next = addMonths(last, 1);
    await runClose(real, next);
    model.closes.set(next, 'completed');
    await checkInvariants(real);
    for (const month of model.closes.keys()) {
      const report = await real.ledger.reconciliation(month);
      const billed = report.billed.reduce((sum, b) => sum.plus(b.amount), new Money(0));
      expect({
        month,
        missing: report.missingLines,
        pending: report.pending.lines,
        difference: new Money(report.consumption.amount).minus(billed).toFixed(),
      }).toEqual({ month, missing: 0, pending: 0, difference: '0' });
    }
    const unbilled = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM month_closes WHERE reconciliation_difference <> 0`;
    expect(Number(unbilled[0]?.n)).toBe(0);
  }

  it(`holds over ${RUNS} random scenarios`, async () => {
    const seed = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const { model, real } = await setup();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        await closeEverything(model, real);
      }),
      {
        numRuns: RUNS,
        ...(seed === undefined ? {} : { seed, path: process.env.MODEL_PATH }),
        endOnFailure: !process.env.MODEL_SHRINK,
      },
    );
  }, 600_000);
});
