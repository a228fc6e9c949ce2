import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import type { Database } from '../../prisma/client';
import { testConfig, testDatabase } from '../support/env';

interface PartnerPage {
  total: number;
  offset: number;
  limit: number;
  items: { id: string; name: string; inn: string | null; organizationId: string }[];
}
interface Items<T> {
  items: T[];
}
interface ApplicationSummary {
  applicationId: string;
  status: string;
  companyName: string | null;
  companyInn: string | null;
  programs: string[];
  submittedAt: string | null;
}

/**
 * What the managers' console reads through the HTTP API: partners found by name, INN or
 * organization a page at a time, applications of every status with their company, and a
 * partner's invoices, customers and registrations; partners are refused these staff routes.
 */
describe('The managers’ console through the HTTP API', () => {
  const config = testConfig();
  let api: RunningApi;
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const tokens = { manager: '', finance: '', partner: '' };
  // Five partners named "Console <tag> A…E"; A is the partner with invoices and customers.
  const letters = ['A', 'B', 'C', 'D', 'E'] as const;
  const partnerIds = Object.fromEntries(letters.map((l) => [l, randomUUID()])) as Record<
    (typeof letters)[number],
    string
  >;
  const org = (letter: string) => `org-console-${tag}-${letter.toLowerCase()}`;
  const account = (letter: string) => `ba-console-${tag}-${letter.toLowerCase()}`;
  // An INN no other test uses: the tag's hex digits as decimals.
  const innOfC = `77${parseInt(tag.slice(0, 7), 16).toString().padStart(8, '0').slice(0, 8)}`;
  const applications: Record<'draft' | 'review', string> = {
    draft: randomUUID(),
    review: randomUUID(),
  };

  async function call<T>(path: string, token: string) {
    const res = await fetch(`${api.url}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    db = testDatabase();
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    for (const letter of letters) {
      await db.billingAccount.create({
        data: {
          id: account(letter),
          organizationId: org(letter),
          name: account(letter),
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
        },
      });
      await db.partner.create({
        data: {
          id: partnerIds[letter],
          organizationId: org(letter),
          applicationId: randomUUID(),
          name: `Console ${tag} ${letter}${letter === 'E' ? ' «Облако»' : ''}`,
          inn: letter === 'C' ? innOfC : null,
          billingAccountId: account(letter),
          taxationType: 'simplified',
          startDate: today,
          approvedBy: 'user-maria',
          memberships: { create: [{ program: 'var', startDate: today }] },
        },
      });
    }
    // Partner A: two customer subaccounts and two invoices; partner B: one invoice of its own.
    for (const [i, name] of ['ООО «Альфа»', 'ООО «Бета»'].entries()) {
      await db.billingAccount.create({
        data: {
          id: `cust-console-${tag}-${i}`,
          organizationId: `org-console-${tag}-customer-${i}`,
          name,
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
          parentId: account('A'),
          createdAt: new Date(Date.UTC(2030, 0, 1 + i)),
        },
      });
    }
    const invoice = (partnerId: string, month: string, payable: string) =>
      db.invoice.create({
        data: {
          id: randomUUID(),
          number: `E2E-CONSOLE-${tag}-${partnerId.slice(0, 4)}-${month}`,
          partnerId,
          month,
          kind: 'monthly',
          sequence: 0,
          issuedAt: new Date(),
          consumptionTotal: '1000.00',
          grantsTotal: '0.00',
          eligibleBase: '1000.00',
          discountTotal: '100.00',
          payable,
          vatRate: '0.20',
          vatAmount: '150.00',
          seqFrom: 0n,
          seqTo: 0n,
        },
      });
    await invoice(partnerIds.A, '2031-01', '900.00');
    await invoice(partnerIds.A, '2031-02', '800.00');
    await invoice(partnerIds.B, '2031-01', '700.00');
    // Partner A registered one deal (pending) and one project (rejected); B one deal.
    const registration = (
      partnerId: string,
      kind: 'deal' | 'project',
      status: 'pending' | 'rejected',
      at: number,
    ) =>
      db.registration.create({
        data: {
          id: randomUUID(),
          partnerId,
          kind,
          status,
          description: `${kind} ${tag}`,
          submittedBy: 'user-anna',
          submittedAt: new Date(Date.UTC(2030, 5, at)),
          ...(kind === 'deal'
            ? { customerAccountId: `cust-console-${tag}-0`, customerName: 'ООО «Альфа»' }
            : { scope: 'cloud' as const, cloudId: `cloud-${tag}` }),
        },
      });
    await registration(partnerIds.A, 'deal', 'pending', 1);
    await registration(partnerIds.A, 'project', 'rejected', 2);
    await registration(partnerIds.B, 'deal', 'pending', 3);
    // Two applications: one still a draft (no company yet), one in review with its company.
    const application = (id: string, status: 'draft' | 'in_review', details: object) =>
      db.application.create({
        data: {
          id,
          organizationId: `org-console-applicant-${tag}-${status}`,
          workflowId: `application-${id}`,
          workflowRunId: randomUUID(),
          identityMethod: 'new_id',
          status,
          step: status === 'draft' ? 'application' : 'manager_review',
          startedBy: `user-${tag}`,
          startedAt: new Date(Date.now() - (status === 'draft' ? 60_000 : 0)),
          ...details,
        },
      });
    await application(applications.draft, 'draft', {});
    await application(applications.review, 'in_review', {
      companyName: `ООО «Заявитель ${tag}»`,
      companyInn: '7704123450',
      programs: ['var', 'referral'],
      taxationType: 'general_with_vat',
      submittedAt: new Date(),
    });

    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
    tokens.partner = await issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId: org('A'),
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  describe('partners: search and paging', () => {
    it('finds partners by a part of their name, any case, a page at a time with the total', async () => {
      const q = encodeURIComponent(`console ${tag}`);
      const first = await call<PartnerPage>(`/v1/partners?q=${q}&limit=2`, tokens.manager);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ total: 5, offset: 0, limit: 2 });
      expect(first.body.items.map((p) => p.name)).toEqual([`Console ${tag} A`, `Console ${tag} B`]);
      const third = await call<PartnerPage>(`/v1/partners?q=${q}&limit=2&offset=4`, tokens.manager);
      expect(third.body.total).toBe(5);
      expect(third.body.items.map((p) => p.name)).toEqual([`Console ${tag} E «Облако»`]);
    });

    it('matches Cyrillic names in any case, and takes % and _ literally', async () => {
      const q = encodeURIComponent(`${tag} e «облако»`);
      const res = await call<PartnerPage>(`/v1/partners?q=${q}`, tokens.manager);
      expect(res.body.items.map((p) => p.id)).toEqual([partnerIds.E]);
      const wildcard = await call<PartnerPage>(
        `/v1/partners?q=${encodeURIComponent(`${tag} %`)}`,
        tokens.manager,
      );
      expect(wildcard.body.total).toBe(0);
    });

    it('finds a partner by its INN and by its organization id', async () => {
      const byInn = await call<PartnerPage>(`/v1/partners?q=${innOfC}`, tokens.manager);
      expect(byInn.body.total).toBe(1);
      expect(byInn.body.items[0]).toMatchObject({ id: partnerIds.C, inn: innOfC });
      const byOrg = await call<PartnerPage>(`/v1/partners?q=${org('D')}`, tokens.finance);
      expect(byOrg.status).toBe(200);
      expect(byOrg.body.items.map((p) => p.id)).toEqual([partnerIds.D]);
      const none = await call<PartnerPage>(`/v1/partners?q=nobody-${tag}`, tokens.manager);
      expect(none.body).toMatchObject({ total: 0, items: [] });
    });

    it('refuses a negative offset (400) and a partner’s token (403)', async () => {
      const bad = await call<{ errors?: { field: string }[] }>(
        '/v1/partners?offset=-1',
        tokens.manager,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toEqual(['query.offset']);
      expect((await call('/v1/partners', tokens.partner)).status).toBe(403);
    });
  });

  describe('a partner’s page', () => {
    it('gives staff the partner with links to its lifecycle workflows, the partner without', async () => {
      const staff = await call<{ name: string; workflows?: { exitNotice: string } }>(
        `/v1/partners/${partnerIds.A}`,
        tokens.manager,
      );
      expect(staff.status).toBe(200);
      expect(staff.body.name).toBe(`Console ${tag} A`);
      expect(staff.body.workflows?.exitNotice).toContain(partnerIds.A);
      const own = await call<{ workflows?: unknown }>(
        `/v1/partners/${partnerIds.A}`,
        tokens.partner,
      );
      expect(own.status).toBe(200);
      expect(own.body.workflows).toBeUndefined();
    });

    it('lists the partner’s own invoices, newest month first, for a manager', async () => {
      const res = await call<Items<{ month: string; payable: string; partnerId: string }>>(
        `/v1/partners/${partnerIds.A}/invoices`,
        tokens.manager,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((i) => [i.month, i.payable])).toEqual([
        ['2031-02', '800.00'],
        ['2031-01', '900.00'],
      ]);
      expect(res.body.items.every((i) => i.partnerId === partnerIds.A)).toBe(true);
    });

    it('lists the partner’s customer subaccounts, oldest first', async () => {
      const res = await call<Items<{ id: string; name: string; parentId: string }>>(
        `/v1/partners/${partnerIds.A}/customers`,
        tokens.manager,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((c) => [c.id, c.name, c.parentId])).toEqual([
        [`cust-console-${tag}-0`, 'ООО «Альфа»', account('A')],
        [`cust-console-${tag}-1`, 'ООО «Бета»', account('A')],
      ]);
      const none = await call<Items<unknown>>(
        `/v1/partners/${partnerIds.B}/customers`,
        tokens.finance,
      );
      expect(none.body.items).toEqual([]);
    });

    it('answers 404 for an unknown partner and 403 to a partner, even for its own id', async () => {
      const unknown = randomUUID();
      expect((await call(`/v1/partners/${unknown}/invoices`, tokens.manager)).status).toBe(404);
      expect((await call(`/v1/partners/${unknown}/customers`, tokens.manager)).status).toBe(404);
      expect((await call(`/v1/partners/${partnerIds.A}/invoices`, tokens.partner)).status).toBe(
        403,
      );
      expect((await call(`/v1/partners/${partnerIds.A}/customers`, tokens.partner)).status).toBe(
        403,
      );
    });

    it('leaves a partner its own /me invoices and customers', async () => {
      const invoices = await call<Items<{ month: string }>>(
        '/v1/partners/me/invoices',
        tokens.partner,
      );
      expect(invoices.status).toBe(200);
      expect(invoices.body.items.map((i) => i.month)).toEqual(['2031-02', '2031-01']);
      const customers = await call<Items<{ id: string }>>(
        '/v1/partners/me/customers',
        tokens.partner,
      );
      expect(customers.status).toBe(200);
      expect(customers.body.items).toHaveLength(2);
    });

    it('lists one partner’s registrations of every status, or of one', async () => {
      const all = await call<Items<{ kind: string; status: string; partnerId: string }>>(
        `/v1/registrations?partnerId=${partnerIds.A}`,
        tokens.manager,
      );
      expect(all.status).toBe(200);
      expect(all.body.items.map((r) => [r.kind, r.status])).toEqual([
        ['project', 'rejected'],
        ['deal', 'pending'],
      ]);
      const pending = await call<Items<{ kind: string }>>(
        `/v1/registrations?partnerId=${partnerIds.A}&status=pending`,
        tokens.manager,
      );
      expect(pending.body.items.map((r) => r.kind)).toEqual(['deal']);
      // Without partnerId the list is still the pending ones of every partner.
      const queue = await call<Items<{ partnerId: string }>>('/v1/registrations', tokens.manager);
      const partners = new Set(queue.body.items.map((r) => r.partnerId));
      expect(partners.has(partnerIds.A) && partners.has(partnerIds.B)).toBe(true);
      expect(
        (await call(`/v1/registrations?partnerId=${partnerIds.A}`, tokens.partner)).status,
      ).toBe(403);
    });
  });

  describe('applications', () => {
    it('lists applications of every status with their company and programs', async () => {
      const res = await call<Items<ApplicationSummary>>(
        '/v1/applications?limit=200',
        tokens.manager,
      );
      expect(res.status).toBe(200);
      const mine = res.body.items.filter((a) =>
        Object.values(applications).includes(a.applicationId),
      );
      expect(mine).toEqual([
        expect.objectContaining({
          applicationId: applications.draft,
          status: 'draft',
          companyName: null,
          programs: [],
          submittedAt: null,
        }),
        expect.objectContaining({
          applicationId: applications.review,
          status: 'in_review',
          companyName: `ООО «Заявитель ${tag}»`,
          companyInn: '7704123450',
          programs: ['var', 'referral'],
        }),
      ]);
    });

    it('lists them newest first on request', async () => {
      const res = await call<Items<ApplicationSummary>>(
        '/v1/applications?order=newest&limit=200',
        tokens.manager,
      );
      const mine = res.body.items
        .map((a) => a.applicationId)
        .filter((id) => Object.values(applications).includes(id));
      expect(mine).toEqual([applications.review, applications.draft]);
    });

    it('filters them by status', async () => {
      const drafts = await call<Items<ApplicationSummary>>(
        '/v1/applications?status=draft&limit=200',
        tokens.manager,
      );
      expect(drafts.body.items.every((a) => a.status === 'draft')).toBe(true);
      expect(drafts.body.items.map((a) => a.applicationId)).toContain(applications.draft);
      expect(drafts.body.items.map((a) => a.applicationId)).not.toContain(applications.review);
    });
  });
});
