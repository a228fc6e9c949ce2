import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { dateInMoscow } from '../../domain/programs';
import type { Database } from '../../prisma/client';
import { testConfig, testDatabase } from '../support/env';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface Customer {
  id: string;
  name: string;
  inn: string | null;
  parentId: string;
}
interface Deal {
  id: string;
  partnerId: string;
  customerAccountId: string;
  customerName: string | null;
  upliftRate: string;
  startDate: string;
  endDate: string | null;
  registeredBy: string;
}
interface Project {
  id: string;
  scope: string;
  cloudId: string;
  folderId: string | null;
  baselineMonthly: string;
  rate: string;
  registeredOn: string;
  rebateMonths: { first: string; last: string };
}
interface Items<T> {
  items: T[];
}
interface BonusMonth {
  month: string;
  discount: string;
  eligibleBase: string;
  relative: string | null;
}

/** Customers, deals, projects and the bonus view through the HTTP API, in-process. */
describe('VAR program registrations through the HTTP API', () => {
  const config = testConfig();
  let api: RunningApi;
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const partnerId = randomUUID();
  const otherPartnerId = randomUUID();
  const ownAccount = `ba-programs-e2e-${tag}`;
  const otherOwnAccount = `ba-programs-e2e-other-${tag}`;
  const tokens = { partner: '', other: '', manager: '', finance: '' };
  const customers: Customer[] = [];
  let otherCustomer: Customer;

  async function call<T>(method: string, path: string, token: string, body?: unknown) {
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

  const fields = (problem: Problem) => problem.errors?.map((e) => e.field);
  // Deals and projects are dated next year: months that are closed refuse them (422), and
  // other test files close past months in the same database.
  const Y = Number(dateInMoscow(new Date()).slice(0, 4)) + 1;

  async function createPartner(id: string, org: string, account: string) {
    await db.billingAccount.create({
      data: {
        id: account,
        organizationId: org,
        name: account,
        type: 'business',
        ownerResident: true,
        paymentMethod: 'invoice',
      },
    });
    // VAR from today: no month close of a past month, run by other tests, includes it.
    const today = new Date(`${dateInMoscow(new Date())}T00:00:00Z`);
    await db.partner.create({
      data: {
        id,
        organizationId: org,
        applicationId: randomUUID(),
        name: `Partner ${org}`,
        billingAccountId: account,
        taxationType: 'simplified',
        startDate: today,
        approvedBy: 'user-maria',
        memberships: { create: [{ program: 'var', startDate: today }] },
      },
    });
  }

  async function invoice(month: string, kind: 'monthly' | 'interim', figures: [string, string]) {
    const [discount, eligible] = figures;
    await db.invoice.create({
      data: {
        id: randomUUID(),
        number: `E2E-PROGRAMS-${tag}-${month}-${kind}`,
        partnerId,
        month,
        kind,
        sequence: kind === 'monthly' ? 0 : 1,
        issuedAt: new Date(),
        consumptionTotal: eligible,
        grantsTotal: '0.00',
        eligibleBase: eligible,
        discountTotal: discount,
        payable: '0.00',
        vatRate: '0.20',
        vatAmount: '0.00',
        seqFrom: 0n,
        seqTo: 0n,
      },
    });
  }

  beforeAll(async () => {
    db = testDatabase();
    await createPartner(partnerId, `org-programs-e2e-${tag}`, ownAccount);
    await createPartner(otherPartnerId, `org-programs-e2e-other-${tag}`, otherOwnAccount);
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId: `org-programs-e2e-${tag}`,
    });
    tokens.other = await issuer.issue({
      subject: `user-other-${tag}`,
      role: 'partner',
      organizationId: `org-programs-e2e-other-${tag}`,
    });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  describe('customers', () => {
    it('lets a partner open customer subaccounts under its own account (201)', async () => {
      const first = await call<Customer>('POST', '/v1/partners/me/customers', tokens.partner, {
        name: 'ООО «Первый клиент»',
        inn: '7707083893',
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ name: 'ООО «Первый клиент»', inn: '7707083893' });
      expect(first.body.id).toMatch(/^cust-[0-9a-f-]{36}$/);
      expect(first.body.parentId).toBe(ownAccount);
      const second = await call<Customer>('POST', '/v1/partners/me/customers', tokens.partner, {
        name: 'Второй клиент',
      });
      expect(second.status).toBe(201);
      expect(second.body.inn).toBeNull();
      customers.push(first.body, second.body);

      const row = await db.billingAccount.findUniqueOrThrow({ where: { id: first.body.id } });
      expect(row).toMatchObject({
        parentId: ownAccount,
        type: 'business',
        paymentMethod: 'invoice',
        ownerResident: true,
        country: 'RU',
      });

      const other = await call<Customer>('POST', '/v1/partners/me/customers', tokens.other, {
        name: 'Клиент другого партнёра',
      });
      expect(other.status).toBe(201);
      otherCustomer = other.body;
    });

    it('lists only the partner’s own customers, oldest first', async () => {
      const mine = await call<Items<Customer>>('GET', '/v1/partners/me/customers', tokens.partner);
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((c) => c.id)).toEqual(customers.map((c) => c.id));
      const theirs = await call<Items<Customer>>('GET', '/v1/partners/me/customers', tokens.other);
      expect(theirs.body.items.map((c) => c.id)).toEqual([otherCustomer.id]);
    });

    it('refuses an INN with a wrong check digit (422 on inn) and a blank name (400)', async () => {
      const before = await db.billingAccount.count({ where: { parentId: ownAccount } });
      const badInn = await call<Problem>('POST', '/v1/partners/me/customers', tokens.partner, {
        name: 'Клиент',
        inn: '7707083894',
      });
      expect(badInn.status).toBe(422);
      expect(badInn.body.errors).toMatchObject([
        { field: 'inn', message: 'check digit does not match' },
      ]);
      const blank = await call<Problem>('POST', '/v1/partners/me/customers', tokens.partner, {
        name: '  ',
      });
      expect(blank.status).toBe(400);
      expect(fields(blank.body)).toEqual(['body.name']);
      expect(await db.billingAccount.count({ where: { parentId: ownAccount } })).toBe(before);
    });

    it('is for partners only (403 for a manager)', async () => {
      const res = await call('POST', '/v1/partners/me/customers', tokens.manager, { name: 'X' });
      expect(res.status).toBe(403);
    });
  });

  describe('deals', () => {
    let dealId: string;
    const dealsPath = `/v1/partners/${partnerId}/deals`;

    it('registers a deal at the 15 pp cap (201)', async () => {
      const res = await call<Deal>('POST', dealsPath, tokens.manager, {
        customerAccountId: customers[0]!.id,
        upliftRate: '0.15',
        startDate: `${Y}-02-01`,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        partnerId,
        customerAccountId: customers[0]!.id,
        customerName: 'ООО «Первый клиент»',
        upliftRate: '0.15',
        startDate: `${Y}-02-01`,
        endDate: null,
        registeredBy: 'user-maria',
      });
      dealId = res.body.id;
    });

    it('refuses 16 pp with 422 on upliftRate, and a malformed rate with 400', async () => {
      const high = await call<Problem>('POST', dealsPath, tokens.manager, {
        customerAccountId: customers[1]!.id,
        upliftRate: '0.16',
        startDate: `${Y}-02-01`,
      });
      expect(high.status).toBe(422);
      expect(high.body.errors).toMatchObject([
        { field: 'upliftRate', message: 'must be at most 0.15 (15 percentage points)' },
      ]);
      const malformed = await call<Problem>('POST', dealsPath, tokens.manager, {
        customerAccountId: customers[1]!.id,
        upliftRate: '5%',
        startDate: `${Y}-02-01`,
      });
      expect(malformed.status).toBe(400);
      expect(fields(malformed.body)).toEqual(['body.upliftRate']);
    });

    it('refuses an end before the start (422 on endDate)', async () => {
      const res = await call<Problem>('POST', dealsPath, tokens.manager, {
        customerAccountId: customers[1]!.id,
        upliftRate: '0.05',
        startDate: `${Y}-02-01`,
        endDate: `${Y}-01-31`,
      });
      expect(res.status).toBe(422);
      expect(fields(res.body)).toEqual(['endDate']);
    });

    it('refuses another partner’s customer, or an unknown account (422 on customerAccountId)', async () => {
      for (const customerAccountId of [otherCustomer.id, 'cust-nobody', otherOwnAccount]) {
        const res = await call<Problem>('POST', dealsPath, tokens.manager, {
          customerAccountId,
          upliftRate: '0.05',
          startDate: `${Y}-02-01`,
        });
        expect(res.status).toBe(422);
        expect(fields(res.body)).toEqual(['customerAccountId']);
      }
      // The partner's own account is no customer either.
      const own = await call<Problem>('POST', dealsPath, tokens.manager, {
        customerAccountId: ownAccount,
        upliftRate: '0.05',
        startDate: `${Y}-02-01`,
      });
      expect(own.status).toBe(422);
      expect(await db.deal.count({ where: { partnerId } })).toBe(1);
    });

    it('is registered by managers only (403 for the partner itself and finance)', async () => {
      const body = {
        customerAccountId: customers[1]!.id,
        upliftRate: '0.05',
        startDate: `${Y}-02-01`,
      };
      expect((await call('POST', dealsPath, tokens.partner, body)).status).toBe(403);
      expect((await call('POST', dealsPath, tokens.finance, body)).status).toBe(403);
      expect(
        (await call('POST', `/v1/deals/${dealId}/end`, tokens.partner, { endDate: `${Y}-03-01` }))
          .status,
      ).toBe(403);
    });

    it('ends a deal: not before its start, the same date again is a no-op, never extended', async () => {
      const early = await call<Problem>('POST', `/v1/deals/${dealId}/end`, tokens.manager, {
        endDate: `${Y}-01-31`,
      });
      expect(early.status).toBe(422);
      expect(early.body.errors).toMatchObject([
        { field: 'endDate', message: `must not be before the deal's start date ${Y}-02-01` },
      ]);

      const ended = await call<Deal>('POST', `/v1/deals/${dealId}/end`, tokens.manager, {
        endDate: `${Y}-06-30`,
      });
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({
        id: dealId,
        startDate: `${Y}-02-01`,
        endDate: `${Y}-06-30`,
      });
      const again = await call<Deal>('POST', `/v1/deals/${dealId}/end`, tokens.manager, {
        endDate: `${Y}-06-30`,
      });
      expect(again.status).toBe(200);
      expect(again.body.endDate).toBe(`${Y}-06-30`);

      const later = await call<Problem>('POST', `/v1/deals/${dealId}/end`, tokens.manager, {
        endDate: `${Y}-07-31`,
      });
      expect(later.status).toBe(409);
      const unknown = await call('POST', `/v1/deals/${randomUUID()}/end`, tokens.manager, {
        endDate: `${Y}-07-31`,
      });
      expect(unknown.status).toBe(404);
      const row = await db.deal.findUniqueOrThrow({ where: { id: dealId } });
      expect(row.endDate?.toISOString().slice(0, 10)).toBe(`${Y}-06-30`);
    });

    it('refuses a deal overlapping another partner’s deal on a customer that moved (409)', async () => {
      // The first customer moves to the other partner while this partner's deal covers it
      // until 30 June (of year Y): the other partner's deal may start only after that.
      await db.billingAccount.update({
        where: { id: customers[0]!.id },
        data: { parentId: otherOwnAccount },
      });
      try {
        const otherDeals = `/v1/partners/${otherPartnerId}/deals`;
        const overlapping = await call<Problem>('POST', otherDeals, tokens.manager, {
          customerAccountId: customers[0]!.id,
          upliftRate: '0.05',
          startDate: `${Y}-06-30`,
        });
        expect(overlapping.status).toBe(409);
        expect(fields(overlapping.body)).toEqual(['customerAccountId']);
        expect(overlapping.body.errors?.[0]?.message).toContain(dealId);

        const after = await call<Deal>('POST', otherDeals, tokens.manager, {
          customerAccountId: customers[0]!.id,
          upliftRate: '0.05',
          startDate: `${Y}-07-01`,
        });
        expect(after.status).toBe(201);
        expect(after.body.partnerId).toBe(otherPartnerId);
      } finally {
        await db.billingAccount.update({
          where: { id: customers[0]!.id },
          data: { parentId: ownAccount },
        });
      }
    });

    it('lists deals to managers, finance and the partner itself; another partner gets 404', async () => {
      const second = await call<Deal>('POST', dealsPath, tokens.manager, {
        customerAccountId: customers[1]!.id,
        upliftRate: '0.0525',
        startDate: `${Y}-09-01`,
        endDate: `${Y}-12-31`,
      });
      expect(second.status).toBe(201);
      for (const token of [tokens.manager, tokens.finance, tokens.partner]) {
        const res = await call<Items<Deal>>('GET', dealsPath, token);
        expect(res.status).toBe(200);
        expect(res.body.items.map((d) => [d.upliftRate, d.startDate, d.endDate])).toEqual([
          ['0.0525', `${Y}-09-01`, `${Y}-12-31`],
          ['0.15', `${Y}-02-01`, `${Y}-06-30`],
        ]);
      }
      expect((await call('GET', dealsPath, tokens.other)).status).toBe(404);
      expect((await call('GET', `/v1/partners/${randomUUID()}/deals`, tokens.manager)).status).toBe(
        404,
      );
    });
  });

  describe('projects', () => {
    const projectsPath = `/v1/partners/${partnerId}/projects`;
    const cloudId = `cloud-${tag}`;

    it('registers a cloud project, today in Moscow by default (201)', async () => {
      const res = await call<Project>('POST', projectsPath, tokens.manager, {
        scope: 'cloud',
        cloudId,
        baselineMonthly: '5000.00',
        rate: '0.10',
      });
      expect(res.status).toBe(201);
      const today = dateInMoscow(new Date());
      expect(res.body).toMatchObject({
        scope: 'cloud',
        cloudId,
        folderId: null,
        baselineMonthly: '5000.00',
        rate: '0.1',
        registeredOn: today,
      });
      expect(res.body.rebateMonths.first > today.slice(0, 7)).toBe(true);
    });

    it('registers a folder project with its folder and a given date (201)', async () => {
      const res = await call<Project>('POST', projectsPath, tokens.manager, {
        scope: 'folder',
        cloudId: `cloud-b-${tag}`,
        folderId: `folder-${tag}`,
        baselineMonthly: '1200.5',
        rate: '0.15',
        registeredOn: `${Y}-03-15`,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        scope: 'folder',
        folderId: `folder-${tag}`,
        baselineMonthly: '1200.50',
        rate: '0.15',
        registeredOn: `${Y}-03-15`,
        rebateMonths: { first: `${Y}-04`, last: `${Y + 1}-03` },
      });
    });

    it('refuses a folder project without its folder and a 16% rate (422 on each field)', async () => {
      const res = await call<Problem>('POST', projectsPath, tokens.manager, {
        scope: 'folder',
        cloudId: `cloud-c-${tag}`,
        baselineMonthly: '100.00',
        rate: '0.16',
      });
      expect(res.status).toBe(422);
      expect(fields(res.body)).toEqual(['folderId', 'rate']);
      const cloudWithFolder = await call<Problem>('POST', projectsPath, tokens.manager, {
        scope: 'cloud',
        cloudId: `cloud-c-${tag}`,
        folderId: 'f-1',
        baselineMonthly: '100.00',
        rate: '0.05',
      });
      expect(cloudWithFolder.status).toBe(422);
      expect(fields(cloudWithFolder.body)).toEqual(['folderId']);
    });

    it('refuses a folder inside the registered cloud in overlapping months (409)', async () => {
      const res = await call<Problem>('POST', projectsPath, tokens.manager, {
        scope: 'folder',
        cloudId,
        folderId: `folder-${tag}`,
        baselineMonthly: '100.00',
        rate: '0.05',
      });
      expect(res.status).toBe(409);
      expect(fields(res.body)).toEqual(['folderId']);
    });

    it('is registered by managers only, and listed to the partner itself but not to others', async () => {
      const body = {
        scope: 'cloud',
        cloudId: `cloud-d-${tag}`,
        baselineMonthly: '1.00',
        rate: '0.05',
      };
      expect((await call('POST', projectsPath, tokens.partner, body)).status).toBe(403);
      const list = await call<Items<Project>>('GET', projectsPath, tokens.partner);
      expect(list.status).toBe(200);
      // Latest registration first: the folder project's date next year, then today's.
      expect(list.body.items.map((p) => p.cloudId)).toEqual([`cloud-b-${tag}`, cloudId]);
      expect((await call('GET', projectsPath, tokens.other)).status).toBe(404);
      expect(await db.project.count({ where: { partnerId } })).toBe(2);
    });
  });

  describe('bonus view', () => {
    beforeAll(async () => {
      await invoice('2024-11', 'monthly', ['0.00', '0.00']);
      // 2024-12: an interim invoice and the month-end one, 45.00 + 150.00 on 500.00 + 1200.00.
      await invoice('2024-12', 'interim', ['45.00', '500.00']);
      await invoice('2024-12', 'monthly', ['150.00', '1200.00']);
    });

    const expected: BonusMonth[] = [
      { month: '2024-12', discount: '195.00', eligibleBase: '1700.00', relative: '0.1147' },
      { month: '2024-11', discount: '0.00', eligibleBase: '0.00', relative: null },
    ];

    it('shows the partner its bonus per month, newest first, absolute and relative', async () => {
      const res = await call<Items<BonusMonth>>('GET', '/v1/partners/me/bonus', tokens.partner);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual(expected);
      const one = await call<Items<BonusMonth>>(
        'GET',
        '/v1/partners/me/bonus?months=1',
        tokens.partner,
      );
      expect(one.body.items).toEqual(expected.slice(0, 1));
      const bad = await call<Problem>('GET', '/v1/partners/me/bonus?months=0', tokens.partner);
      expect(bad.status).toBe(400);
      expect(fields(bad.body)).toEqual(['query.months']);
    });

    it('shows it to managers and finance by partner id', async () => {
      for (const token of [tokens.manager, tokens.finance]) {
        const res = await call<Items<BonusMonth>>('GET', `/v1/partners/${partnerId}/bonus`, token);
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual(expected);
      }
    });

    it('keeps it from another partner (404), who sees only its own', async () => {
      const res = await call<Problem>('GET', `/v1/partners/${partnerId}/bonus`, tokens.other);
      expect(res.status).toBe(404);
      const own = await call<Items<BonusMonth>>('GET', '/v1/partners/me/bonus', tokens.other);
      expect(own.status).toBe(200);
      expect(own.body.items).toEqual([]);
    });
  });

  it('documents the routes in /openapi.json', async () => {
    const res = await fetch(`${api.url}/openapi.json`);
    const document = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/v1/partners/me/customers',
      '/v1/partners/me/bonus',
      '/v1/partners/{partnerId}/bonus',
      '/v1/partners/{partnerId}/deals',
      '/v1/deals/{dealId}/end',
      '/v1/partners/{partnerId}/projects',
    ]) {
      expect(document.paths[path]).toBeDefined();
    }
    expect(Object.keys(document.paths['/v1/partners/{partnerId}/deals'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
  });
});
