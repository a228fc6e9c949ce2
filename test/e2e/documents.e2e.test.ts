import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { dateText, formatRubles, shortDate } from '../../documents/model';
import { Money } from '../../domain/money';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { flat, pdfText } from '../documents/pdf-text';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

/**
 * The documents of an issued invoice through the HTTP API: a partner-month (2025-06, used by
 * no other test file) closed by the real month-close workflow on the dev server, then its
 * act, payment invoice and VAT invoice downloaded as HTML and PDF and read back as text; and a
 * zero invoice of the same close, which has no documents.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const AMOUNT = String.raw`-?\d{1,3}(?:[ \u00a0]\d{3})*,\d{2}`;
/** «1 150,00» back to a decimal. */
const amount = (text: string) => new Money(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));

describe('invoice documents through the HTTP API', () => {
  const MONTH = '2025-06';
  const KINDS = ['act', 'payment-invoice', 'vat-invoice'] as const;
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-documents') });
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  const tag = randomUUID().slice(0, 6);
  const organizationId = `org-docs-e2e-${tag}`;
  const otherOrganizationId = `org-docs-other-${tag}`;
  const idleOrganizationId = `org-docs-idle-${tag}`;
  const partnerId = randomUUID();
  const applicationId = randomUUID();
  const kpp = '781001001';
  const address = '190000, г. Санкт-Петербург, Невский пр., д. 1';
  const own = `own-docs-${tag}`;
  const customer = `cust-docs-${tag}`;
  const legalName = `ООО «Документы & <Партнёры>» ${tag}`;
  const tokens = { partner: '', other: '', idle: '', finance: '', manager: '', billing: '' };
  let invoiceId = '';
  let invoiceNumber = '';
  let zeroInvoiceId = '';
  /** The payment invoice is dated its issue day in Moscow: the day this test closed the month. */
  let issuedOn = '';
  let dueDate = '';
  let seq = 0;

  async function consume(account: string, date: string, amount: string, service = 'compute') {
    seq += 1;
    await db.consumptionLine.create({
      data: {
        sourceId: `docs-e2e-${tag}-${seq}`,
        billingAccountId: account,
        cloudId: 'cloud-1',
        folderId: 'folder-1',
        serviceId: service,
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
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  const documentPath = (kind: string, format?: string) =>
    `/v1/invoices/${invoiceId}/documents/${kind}${format ? `?format=${format}` : ''}`;

  beforeAll(async () => {
    db = testDatabase();
    const account = (id: string, organization: string, parentId: string | null) => ({
      id,
      organizationId: organization,
      name: id,
      type: 'business' as const,
      ownerResident: true,
      paymentMethod: 'invoice' as const,
      parentId,
    });
    await db.billingAccount.createMany({
      data: [
        // The billing account names the company but holds no KPP or address: those come
        // from the company card of the partner's application.
        { ...account(own, organizationId, null), legalName, inn: '7810567898' },
        account(customer, organizationId, own),
        account(`own-docs-other-${tag}`, otherOrganizationId, null),
        account(`own-docs-idle-${tag}`, idleOrganizationId, null),
      ],
    });
    const june = (day: string) => new Date(`${MONTH}-${day}T00:00:00Z`);
    await db.application.create({
      data: {
        id: applicationId,
        organizationId,
        workflowId: `application-${applicationId}`,
        workflowRunId: randomUUID(),
        identityMethod: 'existing_account',
        status: 'approved',
        step: 'done',
        startedBy: `user-${tag}`,
        startedAt: june('01'),
        companyInn: '7810567898',
        companyName: legalName,
        details: { company: { inn: '7810567898', name: legalName, kpp, address } },
      },
    });
    // A VAR member for June 2025 only, so closes of other months leave it alone.
    await db.partner.create({
      data: {
        id: partnerId,
        organizationId,
        applicationId,
        name: 'Документы',
        inn: '7810567898',
        billingAccountId: own,
        taxationType: 'general_with_vat',
        startDate: june('01'),
        approvedBy: 'user-maria',
        memberships: { create: [{ program: 'var', startDate: june('01'), endDate: june('30') }] },
      },
    });
    // Another partner (referral only: not part of the close) must not see the documents.
    await db.partner.create({
      data: {
        id: randomUUID(),
        organizationId: otherOrganizationId,
        applicationId: randomUUID(),
        name: 'Чужой партнёр',
        billingAccountId: `own-docs-other-${tag}`,
        taxationType: 'simplified',
        startDate: june('01'),
        approvedBy: 'user-maria',
        memberships: { create: [{ program: 'referral', startDate: june('01') }] },
      },
    });
    // A VAR member of June with nothing consumed: its invoice is a zero invoice.
    await db.partner.create({
      data: {
        id: randomUUID(),
        organizationId: idleOrganizationId,
        applicationId: randomUUID(),
        name: 'Без потребления',
        billingAccountId: `own-docs-idle-${tag}`,
        taxationType: 'simplified',
        startDate: june('01'),
        approvedBy: 'user-maria',
        memberships: { create: [{ program: 'var', startDate: june('01'), endDate: june('30') }] },
      },
    });
    await consume(customer, `${MONTH}-10`, '1000.00');
    await consume(customer, `${MONTH}-12`, '200.00', 'marketplace');
    await consume(own, `${MONTH}-11`, '50.00');

    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId,
    });
    tokens.other = await issuer.issue({
      subject: `other-${tag}`,
      role: 'partner',
      organizationId: otherOrganizationId,
    });
    tokens.idle = await issuer.issue({
      subject: `idle-${tag}`,
      role: 'partner',
      organizationId: idleOrganizationId,
    });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.billing = await issuer.issue({ subject: 'billing-system', role: 'billing-system' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  it('closes 2025-06 through the API and issues the partner’s invoice', async () => {
    const started = await json('POST', '/v1/closes', tokens.finance, { month: MONTH });
    expect(started.status).toBe(202);
    let status = { status: '' };
    for (let i = 0; i < 150 && status.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await json<typeof status>('GET', `/v1/closes/${MONTH}`, tokens.finance)).body;
    }
    expect(status.status).toBe('completed');

    type Invoices = {
      items: {
        id: string;
        number: string;
        month: string;
        payable: string;
        issuedAt: string;
        dueDate: string | null;
      }[];
    };
    const mine = await json<Invoices>('GET', '/v1/partners/me/invoices', tokens.partner);
    const invoice = mine.body.items.find((i) => i.month === MONTH);
    // 1 000.00 + 200.00 (Marketplace) + 50.00 own − 10% × 1 000.00 = 1 150.00.
    expect(invoice).toMatchObject({ payable: '1150.00' });
    invoiceId = invoice!.id;
    invoiceNumber = invoice!.number;
    const issuedDay = new Date(Date.parse(invoice!.issuedAt) + 3 * 3600_000)
      .toISOString()
      .slice(0, 10);
    issuedOn = dateText(issuedDay);
    // Closed long after June: due the payment term after the issue day, never before it.
    dueDate = invoice!.dueDate!;
    expect(dueDate > issuedDay).toBe(true);

    const idle = await json<Invoices>('GET', '/v1/partners/me/invoices', tokens.idle);
    const zero = idle.body.items.find((i) => i.month === MONTH);
    expect(zero).toMatchObject({ payable: '0.00' });
    zeroInvoiceId = zero!.id;
  }, 60_000);

  it.each(KINDS)(
    '%s as HTML: the partner’s page, byte-identical on every download',
    async (kind) => {
      const first = await get(documentPath(kind), tokens.partner);
      expect(first.res.status).toBe(200);
      expect(first.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(first.res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = first.bytes.toString('utf8');
      const title = {
        act: `Акт оказанных услуг № ${invoiceNumber}/АКТ от 30 июня 2025 г.`,
        'payment-invoice': `Счёт на оплату № ${invoiceNumber}/СЧ от ${issuedOn}`,
        'vat-invoice': `Счёт-фактура № ${invoiceNumber}/СФ от 30 июня 2025 г.`,
      }[kind];
      expect(html).toContain(title);
      expect(html).toContain(`ООО «Документы &amp; &lt;Партнёры&gt;» ${tag}`);
      // KPP and address from the application's company card.
      expect(html).toContain(kpp);
      expect(html).toContain('Невский пр., д. 1');
      // One row per service of the catalogue, by its name; no account or deal ids.
      expect(html).toContain(
        'Compute Cloud — услуги облачной платформы, потреблённые клиентами партнёра (субсчета), за июнь 2025 г.',
      );
      expect(html).toContain('Marketplace — услуги облачной платформы');
      expect(html).toContain('потреблённые партнёром (собственный аккаунт)');
      expect(html).not.toContain(own);
      expect(html).not.toContain(customer);
      expect(html).not.toMatch(UUID);
      expect(html).toContain('1\u00a0150,00');
      if (kind === 'vat-invoice') {
        // VAT 20% in 2025: 1 150 × 20/120 = 191.67; without it 958.33.
        expect(html).toContain(
          '<td colspan="8">Всего к оплате (9)</td><td class="right">958,33</td><td colspan="2" class="center">X</td><td class="right">191,67</td><td class="right">1\u00a0150,00</td>',
        );
      } else {
        expect(html).toContain(
          'в т.ч. партнёрская скидка (бонус и сделки):</td><td class="num">-100,00',
        );
        expect(html).toContain('в т.ч. НДС 20%:</td><td class="num">191,67');
        expect(html).toContain('Одна тысяча сто пятьдесят рублей 00 копеек');
      }

      const again = await get(documentPath(kind, 'html'), tokens.partner);
      expect(again.bytes.equals(first.bytes)).toBe(true);
    },
  );

  it.each(KINDS)('%s as PDF: an attachment, byte-identical on every download', async (kind) => {
    const first = await get(documentPath(kind, 'pdf'), tokens.partner);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('application/pdf');
    expect(first.res.headers.get('content-disposition')).toBe(
      `attachment; filename="${invoiceNumber}-${kind}.pdf"`,
    );
    expect(first.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.bytes.length).toBeGreaterThan(1024);
    const again = await get(documentPath(kind, 'pdf'), tokens.finance);
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });

  it.each(KINDS)(
    '%s as PDF, read back: totals equal the invoice, the rows add up to them',
    async (kind) => {
      const text = pdfText((await get(documentPath(kind, 'pdf'), tokens.partner)).bytes);
      const page = flat(text);
      // Rows: Compute Cloud (customers) 1 000.00 − the bonus 100.00 = 900.00; Marketplace 200.00
      // (earns no bonus); Compute Cloud (own) 50.00. 900 + 200 + 50 = 1 150.00, the payable.
      const totals = [...text.matchAll(new RegExp(`(${AMOUNT})\\n(?:—\\n){6}`, 'g'))].map((m) =>
        amount(m[1]!),
      );
      const amounts =
        kind === 'vat-invoice'
          ? totals
          : [
              ...text.matchAll(new RegExp(`усл\\. ед\\.\\n(?:${AMOUNT}\\n){3}(${AMOUNT})\\n`, 'g')),
            ].map((m) => amount(m[1]!));
      expect(amounts.map((a) => a.toFixed(2))).toEqual(['900.00', '200.00', '50.00']);
      expect(amounts.reduce((a, b) => a.plus(b), new Money(0)).toFixed(2)).toBe('1150.00');
      expect(page).not.toMatch(UUID);
      expect(page).not.toMatch(/-\d[\d ]*,\d\d (?:\d|—)/); // no negative row amount
      expect(page).toContain('7810567898');
      expect(page).toContain(kpp);
      if (kind === 'vat-invoice') {
        expect(page).toContain('Всего к оплате (9) 958,33 X 191,67 1 150,00');
        expect(page).toContain(`ИНН/КПП покупателя: 7810567898/${kpp}`);
        expect(page).toContain(`Счёт-фактура № ${invoiceNumber}/СФ от 30 июня 2025 г.`);
      } else {
        expect(page).toContain('Итого: 1 150,00');
        expect(page).toContain('в т.ч. НДС 20%: 191,67');
      }
      if (kind === 'payment-invoice') {
        expect(page).toContain(`Счёт на оплату № ${invoiceNumber}/СЧ от ${flat(issuedOn)}`);
        expect(page).toContain(`Оплатить до ${shortDate(dueDate)}`);
        expect(page).toContain(`Всего к оплате: ${flat(formatRubles('1150.00'))}`);
      }
      if (kind === 'act') {
        expect(page).toContain(`Акт оказанных услуг № ${invoiceNumber}/АКТ от 30 июня 2025 г.`);
        expect(page).toContain(
          'Всего оказано услуг 3, на сумму 1 150,00 руб., в т.ч. НДС 191,67 руб.',
        );
      }
    },
  );

  it('issues no documents for a zero invoice: 404 naming why', async () => {
    for (const kind of KINDS) {
      for (const format of ['html', 'pdf']) {
        const { res, bytes } = await get(
          `/v1/invoices/${zeroInvoiceId}/documents/${kind}?format=${format}`,
          tokens.idle,
        );
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const problem = JSON.parse(bytes.toString('utf8')) as { detail: string };
        expect(problem.detail).toContain('is a zero invoice (nothing consumed, nothing payable)');
      }
    }
  });

  it('lets finance and managers download any partner’s documents, and no other role', async () => {
    expect((await get(documentPath('act'), tokens.finance)).res.status).toBe(200);
    expect((await get(documentPath('vat-invoice', 'pdf'), tokens.manager)).res.status).toBe(200);
    expect((await get(documentPath('act'), tokens.billing)).res.status).toBe(403);
    expect((await fetch(`${api.url}${documentPath('act')}`)).status).toBe(401);

    const openApi = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { 'x-roles': string[]; parameters: { name: string }[] } }>;
    };
    const route = openApi.paths['/v1/invoices/{invoiceId}/documents/{kind}']?.get;
    expect(route?.['x-roles']).toEqual(['partner', 'finance', 'manager']);
    expect(route?.parameters.map((p) => p.name)).toEqual(['invoiceId', 'kind', 'format']);
  });

  it('answers another partner, and an unknown invoice, with 404', async () => {
    for (const format of ['html', 'pdf']) {
      const other = await get(documentPath('act', format), tokens.other);
      expect(other.res.status).toBe(404);
      expect(other.res.headers.get('content-type')).toContain('application/problem+json');
    }
    const unknown = await get(`/v1/invoices/${randomUUID()}/documents/act`, tokens.finance);
    expect(unknown.res.status).toBe(404);
  });

  it('refuses an unknown kind or format and a malformed id with 400 and the field', async () => {
    const kind = await get(`/v1/invoices/${invoiceId}/documents/receipt`, tokens.partner);
    expect(kind.res.status).toBe(400);
    const problem = JSON.parse(kind.bytes.toString('utf8')) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['path.kind']);

    const format = await get(documentPath('act', 'docx'), tokens.partner);
    expect(format.res.status).toBe(400);
    expect(
      (JSON.parse(format.bytes.toString('utf8')) as { errors: { field: string }[] }).errors[0]
        ?.field,
    ).toBe('query.format');

    expect((await get('/v1/invoices/not-a-uuid/documents/act', tokens.partner)).res.status).toBe(
      400,
    );
  });
});
