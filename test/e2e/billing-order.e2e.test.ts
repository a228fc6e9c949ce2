import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import pg from 'pg';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { addMonths } from '../../domain/settlement/dates';
import { monthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import {
  createSettlementRepository,
  type SettlementRepository,
} from '../../prisma/repositories/settlement.repository';
import { generateDemoMonth } from '../../scripts/demo';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { monthCloseWorkflowId, type MonthCloseResult } from '../../workflows/month-close.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * The billing ledger through the HTTP API and a real worker on the Temporal dev server: months
 * close in order, each consumption line is billed exactly once (by its month's invoice or by
 * one adjustment), and finance's reconciliation of a month adds up.
 *
 * Closes are global and go in order, so the cases below are one story on this file's own
 * database, each in months of its own, oldest first:
 *   2026-01, 2026-02  history; the first close is refused until 2026-01 is closed
 *   2025-12           before the newest close: refused, it counts as closed
 *   2026-03, 2026-04  two closes started at the same time
 *   2026-05, 2026-06  a late line of a closed month, billed as an adjustment
 *   2026-07, 2026-08  a close refused while an earlier month is open; a demo-like 2026-07
 * A close's workflow id is its month's; each test file has a Temporal namespace of its own
 * (test/support/namespace-per-file.ts), so files running in parallel never share a close.
 */
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface InvoiceLine {
  kind: string;
  amount: string;
  details: { forMonth?: string; adjusts?: string };
}

interface Reconciliation {
  month: string;
  close: { status: string; differenceAtCompletion: string | null } | null;
  consumption: { lines: number; amount: string };
  billed: {
    partnerId: string;
    invoiceMonth: string;
    kind: string;
    as: 'own_month' | 'adjustment';
    lines: number;
    amount: string;
  }[];
  pending: { lines: number; amount: string };
  missingLines: number;
  difference: string;
  lineDifference: number;
  flagged: boolean;
}

describe('billing order and the ledger through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-billing-order') });
  const tag = randomUUID().slice(0, 6);
  const call = apiClient(() => api.url);
  const tokens = { finance: '', billing: '', partnerE: '' };
  const currentMonth = monthInMoscow(new Date().toISOString());
  let api: RunningApi;
  let worker: RunningWorker;
  let db: Database;
  let repo: SettlementRepository;
  let connection: Connection;
  let client: Client;
  /** H: history; B: the concurrent closes; D: the late line; A: the refused close; E: preview. */
  const partners = {} as Record<'H' | 'B' | 'D' | 'A' | 'E', PartnerFixture>;
  let referralCustomer: string;
  let line = 0;

  const customerOf = (p: PartnerFixture) => p.customerIds[0] as string;

  /** Consumption through billing's ingestion route; each line gets a source id of its own. */
  async function ingest(
    lines: { account: string; date: string; amount: string; service?: string }[],
  ): Promise<string[]> {
    const sourceIds = lines.map(() => `bo-${tag}-${++line}`);
    const res = await call<{ inserted: number }>(
      'POST',
      '/v1/consumption/batches',
      tokens.billing,
      {
        lines: lines.map((l, i) => ({
          sourceId: sourceIds[i],
          billingAccountId: l.account,
          cloudId: `cloud-${l.account}`,
          folderId: `folder-${l.account}`,
          serviceId: l.service ?? 'compute',
          sku: 'compute.vcpu',
          usageDate: l.date,
          amount: l.amount,
          grantAmount: '0',
        })),
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.inserted).toBe(lines.length);
    return sourceIds;
  }

  const postClose = (month: string) =>
    call<Problem & { workflowId: string }>('POST', '/v1/closes', tokens.finance, { month });

  async function waitForClose(month: string): Promise<void> {
    let status = '';
    for (let i = 0; i < 300 && status !== 'completed'; i++) {
      const res = await call<{ status: string }>('GET', `/v1/closes/${month}`, tokens.finance);
      status = res.status === 200 ? res.body.status : '';
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 100));
    }
    expect({ month, status }).toEqual({ month, status: 'completed' });
  }

  async function closeMonth(month: string): Promise<void> {
    const res = await postClose(month);
    expect({ month, status: res.status }).toEqual({ month, status: 202 });
    await waitForClose(month);
  }

  async function closeWorkflowExists(month: string): Promise<boolean> {
    try {
      await client.workflow.getHandle(monthCloseWorkflowId(month)).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async function monthlyInvoice(partner: PartnerFixture, month: string) {
    return db.invoice.findFirstOrThrow({
      where: { partnerId: partner.partnerId, month, kind: 'monthly' },
    });
  }

  async function invoiceLines(invoiceId: string): Promise<InvoiceLine[]> {
    const res = await call<{ lines: InvoiceLine[] }>(
      'GET',
      `/v1/invoices/${invoiceId}`,
      tokens.finance,
    );
    expect(res.status).toBe(200);
    return res.body.lines;
  }

  async function reconciliation(month: string): Promise<Reconciliation> {
    const res = await call<Reconciliation>(
      'GET',
      `/v1/closes/${month}/reconciliation`,
      tokens.finance,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  /** How many ledger ranges cover each consumption line of these partners, by source id. */
  async function coverage(of: PartnerFixture[]): Promise<Record<string, number>> {
    const ids = of.map((p) => p.partnerId);
    const rows = await db.$queryRaw<{ source_id: string; billed_by: number }[]>`
      SELECT cl.source_id, count(r.id)::int AS billed_by
        FROM consumption_lines cl
        JOIN billing_accounts a ON a.id = cl.billing_account_id
        JOIN partners p ON p.billing_account_id = a.id OR p.billing_account_id = a.parent_id
        LEFT JOIN billed_ranges r
               ON r.partner_id = p.id
              AND cl.usage_date >= r.usage_from AND cl.usage_date < r.usage_to
              AND cl.seq > r.seq_from AND cl.seq <= r.seq_to
       WHERE p.id = ANY(${ids}::uuid[])
       GROUP BY cl.seq, cl.source_id
       ORDER BY cl.seq`;
    return Object.fromEntries(rows.map((r) => [r.source_id, r.billed_by]));
  }

  async function rowCounts() {
    const [invoices, invoiceLines, billedRanges, rebates, statements, commissionLines, advance] =
      await Promise.all([
        db.invoice.count(),
        db.invoiceLine.count(),
        db.billedRange.count(),
        db.rebateLedgerEntry.count(),
        db.commissionStatement.count(),
        db.commissionLine.count(),
        db.advanceLedgerEntry.count(),
      ]);
    return { invoices, invoiceLines, billedRanges, rebates, statements, commissionLines, advance };
  }

  beforeAll(async () => {
    db = testDatabase();
    repo = createSettlementRepository(db);
    for (const name of ['H', 'B', 'D', 'A', 'E'] as const) {
      partners[name] = await createPartner(db, {
        tag: `bo-${tag}-${name.toLowerCase()}`,
        name: `ООО «Порядок ${name}»`,
        memberSince: '2026-01-01',
      });
    }
    // A referral partner whose customer consumes in 2026-07: the close issues a commission
    // statement, which a re-run must not issue again.
    const referrer = await createPartner(db, {
      tag: `bo-${tag}-r`,
      name: 'ООО «Рекомендатель»',
      memberSince: '2026-01-01',
      program: 'referral',
    });
    referralCustomer = `ref-cust-bo-${tag}`;
    await db.billingAccount.create({
      data: {
        id: referralCustomer,
        organizationId: `org-${referralCustomer}`,
        name: referralCustomer,
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
    await db.referralAttribution.create({
      data: {
        customerAccountId: referralCustomer,
        partnerId: referrer.partnerId,
        referralCode: `code-${tag}`,
        signedUpAt: new Date('2026-07-01T09:00:00+03:00'),
        startDate: new Date('2026-07-01T00:00:00Z'),
        attributedBy: 'billing',
      },
    });
    // A demo-like 2026-07 (deals, projects, Marketplace, grants, advance payers), its partners
    // members from that month on only, so the earlier closes stay small.
    const demo = new pg.Client({ connectionString: config.databaseUrl });
    await demo.connect();
    try {
      await generateDemoMonth(
        demo,
        { partners: 15, customers: 5, days: 31, month: '2026-07' },
        '2026-07-01',
      );
    } finally {
      await demo.end();
    }

    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    connection = await Connection.connect({ address: config.temporal.address as string });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const issuer = createTokenService(config.auth);
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.billing = await issuer.issue({ subject: 'billing-system', role: 'billing-system' });
    tokens.partnerE = await issuer.issue({
      subject: `user-bo-${tag}-e`,
      role: 'partner',
      organizationId: partners.E.organizationId,
    });

    // Consumption of later months that must be in place before those months close.
    await ingest([
      { account: referralCustomer, date: '2026-07-10', amount: '1000.00' },
      { account: customerOf(partners.E), date: '2026-08-10', amount: '1000.00' },
    ]);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await connection?.close();
    await db?.$disconnect();
  });

  it('the first close on a database with history is refused until the earliest month with consumption is closed', async () => {
    await ingest([
      { account: customerOf(partners.H), date: '2026-01-10', amount: '100.00' },
      { account: customerOf(partners.H), date: '2026-02-10', amount: '200.00' },
    ]);

    for (const month of ['2026-03', '2026-02']) {
      const refused = await postClose(month);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toBe(
        '2026-01 has consumption and is not closed; months close in order, close 2026-01 first',
      );
      expect(refused.body.errors).toMatchObject([{ field: 'month', message: refused.body.detail }]);
      // The stable code and its parameters, for the portal to say it in the reader's language.
      expect(refused.body).toMatchObject({
        code: 'close_out_of_order',
        params: { month: '2026-01' },
      });
      expect(await closeWorkflowExists(month)).toBe(false);
    }
    expect(await db.monthClose.count()).toBe(0);

    await closeMonth('2026-01');
    // The earliest open month with consumption is now 2026-02: still refused, naming it.
    const stillRefused = await postClose('2026-03');
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.body.detail).toMatch(/^2026-02 has consumption and is not closed/);
    await closeMonth('2026-02');

    const h = partners.H;
    expect((await monthlyInvoice(h, '2026-01')).consumptionTotal.toFixed(2)).toBe('100.00');
    expect((await monthlyInvoice(h, '2026-02')).consumptionTotal.toFixed(2)).toBe('200.00');
    expect(await repo.ledgerViolations()).toEqual([]);
  });

  it('a close of a month before the newest close is refused with 409: that month counts as closed', async () => {
    const refused = await postClose('2025-12');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(
      '2026-02 is already closed, so 2025-12 counts as closed: its late consumption is billed ' +
        'as adjustments on the next close',
    );
    expect(await closeWorkflowExists('2025-12')).toBe(false);
    expect(await db.monthClose.findUnique({ where: { month: '2025-12' } })).toBeNull();
  });

  it('closing two consecutive months at the same time bills each line once', async () => {
    const b = partners.B;
    await ingest([
      { account: customerOf(b), date: '2026-03-05', amount: '1234.56' },
      { account: customerOf(b), date: '2026-03-20', amount: '65.44' },
      { account: b.ownAccountId, date: '2026-03-21', amount: '10.00' },
      { account: customerOf(b), date: '2026-04-05', amount: '500.00' },
      { account: customerOf(partners.H), date: '2026-04-10', amount: '70.00' },
    ]);

    const [march, april] = await Promise.all([postClose('2026-03'), postClose('2026-04')]);
    // Either both start (March's close began first) or April waits for March, naming it.
    expect(march.status).toBe(202);
    expect([202, 409]).toContain(april.status);
    if (april.status === 409) {
      expect(april.body.detail).toMatch(/^2026-03 has consumption and is not closed/);
      let retried = april;
      for (let i = 0; i < 100 && retried.status === 409; i++) {
        await new Promise((r) => setTimeout(r, 100));
        retried = await postClose('2026-04');
      }
      expect(retried.status).toBe(202);
    }
    await waitForClose('2026-03');
    await waitForClose('2026-04');

    // Every line of B and H billed by exactly one ledger range.
    const billedBy = Object.values(await coverage([b, partners.H]));
    expect(billedBy).toHaveLength(7);
    expect(billedBy.every((n) => n === 1)).toBe(true);
    const totals = async (p: PartnerFixture, month: string) =>
      (await monthlyInvoice(p, month)).consumptionTotal.toFixed(2);
    // B: March 1234.56 + 65.44 + 10.00 (own) = 1310.00; April 500.00. H: April 70.00.
    expect(await totals(b, '2026-03')).toBe('1310.00');
    expect(await totals(b, '2026-04')).toBe('500.00');
    expect(await totals(partners.H, '2026-03')).toBe('0.00');
    expect(await totals(partners.H, '2026-04')).toBe('70.00');
    for (const month of ['2026-03', '2026-04']) {
      const report = await reconciliation(month);
      expect(report).toMatchObject({
        difference: '0',
        lineDifference: 0,
        missingLines: 0,
        flagged: false,
        pending: { lines: 0 },
        close: { status: 'completed', differenceAtCompletion: '0' },
      });
      expect(
        report.billed.every((row) => row.as === 'own_month' && row.invoiceMonth === month),
      ).toBe(true);
    }
    expect(await repo.ledgerViolations()).toEqual([]);
  });

  it('a late line for a closed month is billed once as an adjustment on the next close, and the reconciliation of its month shows it billed', async () => {
    const d = partners.D;
    await ingest([{ account: customerOf(d), date: '2026-05-05', amount: '800.00' }]);
    await closeMonth('2026-05');
    const [late] = await ingest([{ account: customerOf(d), date: '2026-05-25', amount: '120.00' }]);

    // Until the next close the late line waits: pending, and nothing is flagged.
    const waiting = await reconciliation('2026-05');
    expect(waiting).toMatchObject({ difference: '0', flagged: false, pending: { lines: 1 } });
    expect(Number(waiting.pending.amount)).toBe(120);

    await closeMonth('2026-06');
    // May's invoice is never rewritten: 800.00 − 10% × 800.00 = 720.00.
    const may = await monthlyInvoice(d, '2026-05');
    expect([may.consumptionTotal, may.payable].map((v) => v.toFixed(2))).toEqual([
      '800.00',
      '720.00',
    ]);
    const june = await monthlyInvoice(d, '2026-06');
    const adjustments = (await invoiceLines(june.id)).filter((l) => l.kind === 'adjustment');
    // The late 120.00 of 2026-05, and its bonus 10% × 120.00 = 12.00.
    expect(adjustments.map((l) => [l.details.adjusts, l.details.forMonth, l.amount])).toEqual([
      ['consumption_customers', '2026-05', '120.00'],
      ['base_bonus', '2026-05', '-12.00'],
    ]);
    // June has nothing of its own: 120.00 − 12.00 = 108.00.
    expect([june.consumptionTotal, june.payable].map((v) => v.toFixed(2))).toEqual([
      '120.00',
      '108.00',
    ]);

    const report = await reconciliation('2026-05');
    expect(report).toMatchObject({
      difference: '0',
      lineDifference: 0,
      missingLines: 0,
      flagged: false,
      pending: { lines: 0 },
    });
    const ofD = report.billed.filter((row) => row.partnerId === d.partnerId);
    expect(ofD.map((row) => [row.invoiceMonth, row.as, row.lines, Number(row.amount)])).toEqual([
      ['2026-05', 'own_month', 1, 800],
      ['2026-06', 'adjustment', 1, 120],
    ]);
    expect((await coverage([d]))[late as string]).toBe(1);
    expect(await repo.ledgerViolations()).toEqual([]);
  });

  it('a line dated 2026-07-15 ingested, then a close of 2026-08 is refused with 409 naming 2026-07; after 2026-07 closes, the August close bills the line nowhere again', async () => {
    const a = partners.A;
    const [lineId] = await ingest([
      { account: customerOf(a), date: '2026-07-15', amount: '500.00' },
    ]);

    const refused = await postClose('2026-08');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(
      '2026-07 has consumption and is not closed; months close in order, close 2026-07 first',
    );
    expect(refused.body.errors).toMatchObject([{ field: 'month', message: refused.body.detail }]);
    expect(await db.monthClose.findUnique({ where: { month: '2026-08' } })).toBeNull();

    await closeMonth('2026-07');
    const july = await monthlyInvoice(a, '2026-07');
    // 500.00 − 10% × 500.00 = 450.00.
    expect(
      [july.consumptionTotal, july.discountTotal, july.payable].map((v) => v.toFixed(2)),
    ).toEqual(['500.00', '50.00', '450.00']);

    await closeMonth('2026-08');
    const august = await monthlyInvoice(a, '2026-08');
    expect([august.consumptionTotal, august.payable].map((v) => v.toFixed(2))).toEqual([
      '0.00',
      '0.00',
    ]);
    expect((await invoiceLines(august.id)).filter((l) => l.kind === 'adjustment')).toEqual([]);
    // The one range that bills A's line is July's own.
    expect(
      await db.billedRange.findMany({
        where: { partnerId: a.partnerId },
        select: { invoiceId: true, kind: true },
      }),
    ).toEqual([{ invoiceId: july.id, kind: 'own' }]);
    expect((await coverage([a]))[lineId as string]).toBe(1);
    expect(await repo.ledgerViolations()).toEqual([]);
  });

  it('the reconciliation of a closed demo-like month shows zero difference', async () => {
    const report = await reconciliation('2026-07');
    const demoLines = await db.consumptionLine.count({
      where: { sourceId: { startsWith: 'demo:2026-07:' } },
    });
    expect(demoLines).toBeGreaterThan(1000);
    // The demo partners' lines and A's one (the referral customer is no VAR partner's).
    expect(report.consumption.lines).toBe(demoLines + 1);
    expect(report).toMatchObject({
      difference: '0',
      lineDifference: 0,
      missingLines: 0,
      flagged: false,
      pending: { lines: 0 },
      close: { status: 'completed', differenceAtCompletion: '0' },
    });
    expect(report.billed.reduce((n, row) => n + row.lines, 0)).toBe(report.consumption.lines);
    expect(report.billed.every((row) => row.invoiceMonth === '2026-07')).toBe(true);
    const close = await db.monthClose.findUniqueOrThrow({ where: { month: '2026-07' } });
    expect(close.reconciliationDifference?.toString()).toBe('0');
  });

  it('the running invoice (GET /v1/partners/me/invoices/preview) never counts a line that an issued invoice billed', async () => {
    const e = partners.E;
    const preview = () =>
      call<{
        month: string;
        totals: Record<string, string>;
        lines: { kind: string; forMonth?: string; amount: string }[];
      }>('GET', '/v1/partners/me/invoices/preview', tokens.partnerE);
    // E's 1000.00 of 2026-08-10 was billed by its August invoice.
    expect((await monthlyInvoice(e, '2026-08')).consumptionTotal.toFixed(2)).toBe('1000.00');
    const nothing = await preview();
    expect(nothing.status).toBe(200);
    expect(nothing.body.totals).toMatchObject({ consumptionTotal: '0.00', payable: '0.00' });

    // The month before the current one has no close (the newest close is 2026-08): its line
    // belongs to that month's own close, not to the running invoice.
    const openMonth = addMonths(currentMonth, -1);
    expect(openMonth > '2026-08').toBe(true);
    await ingest([
      { account: customerOf(e), date: '2026-08-20', amount: '40.00' }, // late for August
      { account: customerOf(e), date: `${openMonth}-05`, amount: '700.00' },
      { account: customerOf(e), date: `${currentMonth}-01`, amount: '300.00' },
    ]);
    const running = await preview();
    expect(running.body.month).toBe(currentMonth);
    // 300.00 this month + 40.00 late for 2026-08 = 340.00 (never the billed 1000.00, nor the
    // open month's 700.00); bonus 10% × 340.00 = 34.00; payable 306.00.
    expect(running.body.totals).toMatchObject({
      consumptionTotal: '340.00',
      eligibleBase: '340.00',
      discountTotal: '34.00',
      payable: '306.00',
    });
    expect(
      running.body.lines.filter((l) => l.kind === 'adjustment').map((l) => [l.forMonth, l.amount]),
    ).toEqual([
      ['2026-08', '40.00'],
      ['2026-08', '-4.00'],
    ]);
  });

  it('a re-run of a completed close adds nothing', async () => {
    const handle = client.workflow.getHandle(monthCloseWorkflowId('2026-07'));
    const first = await handle.describe();
    expect(first.status.name).toBe('COMPLETED');
    const before = await rowCounts();
    // The month wrote rebate accruals (demo projects) and a commission statement: a re-run
    // that wrote them again would show.
    expect(before.rebates).toBeGreaterThan(0);
    expect(before.statements).toBeGreaterThan(0);

    const rerun = await postClose('2026-07');
    expect(rerun.status).toBe(202);
    const result = (await client.workflow
      .getHandle(monthCloseWorkflowId('2026-07'))
      .result()) as MonthCloseResult;
    expect((await handle.describe()).runId).not.toBe(first.runId);
    expect(result).toMatchObject({
      month: '2026-07',
      invoicesCreated: 0,
      statementsCreated: 0,
      reconciliationDifference: '0',
    });
    expect(await rowCounts()).toEqual(before);
    expect(await repo.ledgerViolations()).toEqual([]);
  });

  it('a month before PROGRAM_FIRST_MONTH answers 422 on the reconciliation route', async () => {
    const first = config.programFirstMonth;
    const res = await call<Problem>(
      'GET',
      `/v1/closes/${addMonths(first, -1)}/reconciliation`,
      tokens.finance,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toMatchObject([
      { field: 'month', message: `must be ${first} (the program's first month) or later` },
    ]);
    // The first month itself is reported on, with nothing in it.
    const firstMonth = await reconciliation(first);
    expect(firstMonth).toMatchObject({ close: null, difference: '0', flagged: false });
  });
});
