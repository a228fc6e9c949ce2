import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { payOutFinal } from '../../prisma/repositories/payout.repository';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

/** The names of a zip's entries, read from its central directory (signature PK\1\2). */
function zipEntryNames(zip: Buffer): string[] {
  const names: string[] = [];
  let at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  while (at >= 0 && zip.readUInt32LE(at) === 0x02014b50) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

interface Invoice {
  id: string;
  number: string;
  partnerName: string;
  partnerInn: string;
  kind: string;
  consumptionTotal: string;
  discountTotal: string;
  payable: string;
  vatAmount: string;
}

/**
 * The finance console through the HTTP API: June 2025 closed by the real month-close workflow
 * for two partners, then the month's totals, its invoices as CSV, XLSX and a zip of their
 * documents, and the payout register with a withdrawal to the bank and a held final payout.
 */
describe('the finance console through the HTTP API', () => {
  const MONTH = '2025-06';
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-finance') });
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  const tag = randomUUID().slice(0, 6);
  const alpha = { id: randomUUID(), org: `org-fin-a-${tag}`, own: `own-fin-a-${tag}` };
  const beta = { id: randomUUID(), org: `org-fin-b-${tag}`, own: `own-fin-b-${tag}` };
  const gone = { id: randomUUID(), org: `org-fin-g-${tag}`, own: `own-fin-g-${tag}` };
  const tokens = { alpha: '', finance: '', manager: '' };
  let invoices: Invoice[] = [];
  let seq = 0;

  async function consume(account: string, date: string, amount: string) {
    seq += 1;
    await db.consumptionLine.create({
      data: {
        sourceId: `fin-e2e-${tag}-${seq}`,
        billingAccountId: account,
        cloudId: 'cloud-1',
        folderId: 'folder-1',
        serviceId: 'compute',
        sku: 'compute.vcpu',
        usageDate: new Date(`${date}T00:00:00Z`),
        amount,
      },
    });
  }

  async function get(path: string, token: string) {
    const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function json<T>(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    db = testDatabase();
    const june = (day: string) => new Date(`${MONTH}-${day}T00:00:00Z`);
    const createPartner = async (
      p: typeof alpha,
      name: string,
      inn: string,
      bank: boolean,
      left = false,
    ) => {
      const account = (id: string, parentId: string | null) => ({
        id,
        organizationId: p.org,
        name: id,
        type: 'business' as const,
        ownerResident: true,
        paymentMethod: 'invoice' as const,
        parentId,
      });
      await db.billingAccount.createMany({
        data: [
          {
            ...account(p.own, null),
            ...(bank ? { bik: '044525225', settlementAccount: '40702810938000000001' } : {}),
          },
          account(`${p.own}-cust`, p.own),
        ],
      });
      await db.partner.create({
        data: {
          id: p.id,
          organizationId: p.org,
          applicationId: randomUUID(),
          name,
          inn,
          billingAccountId: p.own,
          taxationType: 'general_with_vat',
          status: left ? 'left' : 'active',
          startDate: june('01'),
          approvedBy: 'user-maria',
          // The partner who left was in the referral program only: no invoice of its own.
          memberships: {
            create: [
              left
                ? { program: 'referral', startDate: june('01'), endDate: june('30') }
                : { program: 'var', startDate: june('01'), endDate: june('30') },
            ],
          },
        },
      });
    };
    await createPartner(alpha, `Альфа ${tag}`, '7707083893', true);
    await createPartner(beta, `Бета ${tag}`, '7810567898', false);
    await consume(`${alpha.own}-cust`, `${MONTH}-10`, '1000.00');
    await consume(alpha.own, `${MONTH}-11`, '50.00');
    await consume(`${beta.own}-cust`, `${MONTH}-12`, '2000.00');

    // Rebate balances: Alpha withdraws part of its own to the bank; a partner who left
    // without bank details has its balance held as a final payout awaiting them.
    await createPartner(gone, `Ушедший ${tag}`, '7728168971', false, true);
    for (const [p, amount] of [
      [alpha, '500.00'],
      [gone, '120.00'],
    ] as const) {
      await db.rebateLedgerEntry.create({
        data: {
          partnerId: p.id,
          idempotencyKey: `fin-e2e-${tag}-${p.id}`,
          kind: 'project_rebate',
          amount,
          month: '2025-05',
        },
      });
    }
    await db.$transaction((tx) =>
      payOutFinal(tx, gone.id, 'exit', new Date(`${MONTH}-30T09:00:00Z`)),
    );

    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.alpha = await issuer.issue({
      subject: `a-${tag}`,
      role: 'partner',
      organizationId: alpha.org,
    });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  it('closes June 2025 and lists both partners’ invoices with name and INN', async () => {
    expect((await json('POST', '/v1/closes', tokens.finance, { month: MONTH })).status).toBe(202);
    let status = { status: '' };
    for (let i = 0; i < 150 && status.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await json<typeof status>('GET', `/v1/closes/${MONTH}`, tokens.finance)).body;
    }
    expect(status.status).toBe('completed');

    const list = await json<{ items: Invoice[] }>(
      'GET',
      `/v1/finance/months/${MONTH}/invoices`,
      tokens.finance,
    );
    expect(list.status).toBe(200);
    invoices = list.body.items;
    const byName = Object.fromEntries(invoices.map((i) => [i.partnerName, i]));
    // Alpha: 1 000.00 customer + 50.00 own − 10% × 1 000.00 = 950.00, VAT 950 × 20/120 = 158.33.
    expect(byName[`Альфа ${tag}`]).toMatchObject({
      partnerInn: '7707083893',
      kind: 'monthly',
      consumptionTotal: '1050.00',
      discountTotal: '100.00',
      payable: '950.00',
      vatAmount: '158.33',
    });
    // Beta: 2 000.00 customer − 10% × 2 000.00 = 1 800.00, VAT 1 800 × 20/120 = 300.00.
    expect(byName[`Бета ${tag}`]).toMatchObject({
      partnerInn: '7810567898',
      consumptionTotal: '2000.00',
      discountTotal: '200.00',
      payable: '1800.00',
      vatAmount: '300.00',
    });
    expect(invoices).toHaveLength(2);
  }, 60_000);

  it('shows month totals that are the sums of the invoices and of the month’s payouts', async () => {
    const month = await json<{ totals: Record<string, unknown>; close: { status: string } }>(
      'GET',
      `/v1/finance/months/${MONTH}`,
      tokens.finance,
    );
    expect(month.status).toBe(200);
    expect(month.body.close.status).toBe('completed');
    expect(month.body.totals).toMatchObject({
      invoices: { count: 2, monthly: 2, interim: 0, final: 0 },
      consumptionTotal: '3050.00', // 1 050.00 + 2 000.00
      grantsTotal: '0.00',
      discountTotal: '300.00', // 100.00 + 200.00
      rebateWithdrawn: '0.00',
      payable: '2750.00', // 950.00 + 1 800.00
      vatAmount: '458.33', // 158.33 + 300.00
      // The referral partner's statement of a month without referred consumption: 0.00.
      commission: { count: 1, total: '0.00' },
      // The held final payout fell due on 30 June: 120.00, awaiting bank details.
      payouts: {
        count: 1,
        total: '120.00',
        byStatus: {
          awaiting_bank_details: { count: 1, total: '120.00' },
          payable: { count: 0, total: '0.00' },
          paid: { count: 0, total: '0.00' },
        },
      },
    });
  });

  it('exports the invoices as CSV for Russian Excel: BOM, `;`, decimal comma, one row each', async () => {
    const { res, bytes } = await get(`/v1/finance/months/${MONTH}/invoices.csv`, tokens.finance);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="invoices-${MONTH}.csv"`,
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { delimiter: ';', bom: true });
    expect(rows[0]).toEqual([
      'Номер счёта',
      'Вид',
      'Месяц',
      'Партнёр',
      'ИНН',
      'Дата выставления',
      'Срок оплаты',
      'Потребление',
      'Гранты',
      'Бонус (скидка)',
      'Списано ребейта',
      'К оплате',
      'Ставка НДС',
      'НДС',
      'Покрыто авансом',
    ]);
    expect(rows).toHaveLength(1 + invoices.length);
    const payable = Object.fromEntries(rows.slice(1).map((r) => [r[0] ?? '', r[11] ?? '']));
    expect(payable).toEqual(
      Object.fromEntries(invoices.map((i) => [i.number, i.payable.replace('.', ',')])),
    );
    const alphaRow = rows.find((r) => r[3] === `Альфа ${tag}`)!;
    expect(alphaRow.slice(1, 3)).toEqual(['ежемесячный', MONTH]);
    expect(alphaRow.slice(7, 14)).toEqual([
      '1050,00',
      '0,00',
      '100,00',
      '0,00',
      '950,00',
      '0,2',
      '158,33',
    ]);

    const lines = await get(`/v1/finance/months/${MONTH}/invoice-lines.csv`, tokens.manager);
    expect(lines.res.status).toBe(200);
    const lineRows = parse(lines.bytes, { delimiter: ';', bom: true });
    expect(lineRows[0]?.slice(0, 8)).toEqual([
      'Номер счёта',
      'Позиция',
      'Вид строки',
      'Описание',
      'Правило',
      'Ставка',
      'База',
      'Сумма',
    ]);
    // Each invoice's lines add up to its payable.
    for (const invoice of invoices) {
      const kopecks = lineRows
        .filter((r) => r[0] === invoice.number)
        .reduce((sum, r) => sum + Math.round(Number(r[7]!.replace(',', '.')) * 100), 0);
      expect(kopecks).toBe(Math.round(Number(invoice.payable) * 100));
    }
  });

  it('exports the same numbers as an XLSX workbook with an invoices and a lines sheet', async () => {
    const { res, bytes } = await get(`/v1/finance/months/${MONTH}/invoices.xlsx`, tokens.finance);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Счета', 'Строки']);
    const sheet = book.getWorksheet('Счета')!;
    expect(sheet.getRow(1).getCell(12).value).toBe('К оплате');
    expect(sheet.rowCount).toBe(1 + invoices.length);
    const fromSheet = new Map<string, unknown[]>();
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      fromSheet.set(row.getCell(1).text, [
        row.getCell(8).value,
        row.getCell(10).value,
        row.getCell(12).value,
        row.getCell(14).value,
      ]);
    }
    for (const invoice of invoices) {
      expect(fromSheet.get(invoice.number)).toEqual([
        Number(invoice.consumptionTotal),
        Number(invoice.discountTotal),
        Number(invoice.payable),
        Number(invoice.vatAmount),
      ]);
    }
    expect(book.getWorksheet('Строки')!.rowCount).toBeGreaterThan(invoices.length);
  });

  it('zips every document of every invoice as <invoice number>/<document>.pdf', async () => {
    const { res, bytes } = await get(`/v1/finance/months/${MONTH}/documents.zip`, tokens.finance);
    expect([res.status, res.status === 200 ? '' : bytes.toString()]).toEqual([200, '']);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const names = zipEntryNames(bytes).sort();
    const expected = invoices
      .flatMap((i) => ['act', 'payment-invoice', 'vat-invoice'].map((k) => `${i.number}/${k}.pdf`))
      .sort();
    expect(names).toEqual(expected);
  }, 60_000);

  it('lists a withdrawal to the bank and a final payout awaiting bank details, and exports them', async () => {
    const withdrawal = await json<{ id: string }>(
      'POST',
      '/v1/partners/me/rebates/withdrawals',
      tokens.alpha,
      { amount: '300.00', target: 'bank' },
    );
    expect(withdrawal.status).toBe(201);

    const register = await json<{
      items: { kind: string; status: string; amount: string; partnerName: string; month: string }[];
    }>('GET', '/v1/finance/payouts', tokens.finance);
    expect(register.status).toBe(200);
    expect(register.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'rebate_withdrawal',
          status: 'paid',
          amount: '300.00',
          partnerName: `Альфа ${tag}`,
        }),
        expect.objectContaining({
          kind: 'final_payout',
          status: 'awaiting_bank_details',
          amount: '120.00',
          partnerName: `Ушедший ${tag}`,
          month: MONTH,
        }),
      ]),
    );

    const held = await json<{ items: { kind: string }[] }>(
      'GET',
      '/v1/finance/payouts?status=awaiting_bank_details',
      tokens.manager,
    );
    expect(held.body.items.map((i) => i.kind)).toEqual(['final_payout']);

    const csv = await get('/v1/finance/payouts.csv?status=paid', tokens.finance);
    expect(csv.res.status).toBe(200);
    const rows = parse(csv.bytes, { delimiter: ';', bom: true });
    expect(rows[0]?.slice(0, 6)).toEqual([
      'Вид выплаты',
      'Статус',
      'Месяц',
      'Партнёр',
      'ИНН',
      'Сумма',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[5]])).toEqual([
      ['вывод ребейта на счёт', 'выплачено', `Альфа ${tag}`, '300,00'],
    ]);
  });

  it('refuses partners (403) and a bad status filter (400)', async () => {
    for (const path of [
      `/v1/finance/months/${MONTH}`,
      `/v1/finance/months/${MONTH}/invoices.csv`,
      `/v1/finance/months/${MONTH}/documents.zip`,
      '/v1/finance/payouts',
    ]) {
      expect((await get(path, tokens.alpha)).res.status).toBe(403);
    }
    expect((await get('/v1/finance/payouts?status=lost', tokens.finance)).res.status).toBe(400);
  });
});
