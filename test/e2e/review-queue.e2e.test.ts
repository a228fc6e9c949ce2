import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { addDays, moscowDateOf, moscowMidnight } from '../../domain/calendar/production-calendar';
import { presaleSla } from '../../domain/presales';
import { registrationSla } from '../../domain/registrations';
import { specializationReviewDeadline } from '../../domain/specializations';
import type { Database } from '../../prisma/client';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

interface Item {
  kind: string;
  id: string;
  title: string;
  partnerName: string | null;
  status: string;
  submittedAt: string | null;
  deadline: string;
  lastReviewDay: string;
  businessDaysLeft: number;
  overdue: boolean;
  escalated: boolean;
  [field: string]: unknown;
}
interface Queue {
  items: Item[];
}

/**
 * The manager's one review queue through HTTP: an application, two deals, a project, a
 * specialization application and two presale requests, each due at a different time, come
 * back in one list, nearest deadline first. Records whose deadline the test must control are
 * written to the database; the specialization application and a presale request are submitted
 * through the API, which computes their deadlines.
 */
describe('the review queue across applications, deals, projects, specializations and presales', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-review-queue') });
  const call = apiClient(() => api.url);
  let api: RunningApi;
  let db: Database;
  let partner: PartnerFixture;
  const tokens = { partner: '', manager: '', presale: '', finance: '' };
  const tag = randomUUID().slice(0, 8);
  const started = new Date();
  const today = moscowDateOf(started);
  const hours = (n: number) => new Date(started.getTime() + n * 3_600_000);
  const ids = {
    application: randomUUID(),
    overdueDeal: randomUUID(),
    tiedDeal: randomUUID(),
    project: randomUUID(),
    answeredPresale: randomUUID(),
    specialization: '',
    newPresale: '',
  };
  /** Two business days from now: the application's and the tied deal's deadline. */
  const twoDays = registrationSla(started.toISOString(), 2);
  const desiredDate = addDays(today, 60);

  beforeAll(async () => {
    db = testDatabase();
    partner = await createPartner(db, {
      tag: `rq-${tag}`,
      name: 'ООО «Очередь»',
      customers: 1,
      memberSince: '2026-01-01',
    });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: 'user-queue',
      role: 'partner',
      organizationId: partner.organizationId,
    });
    tokens.manager = await issuer.issue({ subject: 'manager-maria', role: 'manager' });
    tokens.presale = await issuer.issue({ subject: 'presale-pavel', role: 'presale' });
    tokens.finance = await issuer.issue({ subject: 'finance-fedor', role: 'finance' });

    // An application in review, due in two business days, submitted an hour ago.
    await db.application.create({
      data: {
        id: ids.application,
        organizationId: `org-applicant-${tag}`,
        workflowId: `onboarding-test-${tag}`,
        workflowRunId: randomUUID(),
        identityMethod: 'new_id',
        status: 'in_review',
        step: 'review',
        startedBy: 'user-applicant',
        startedAt: hours(-2),
        companyInn: '7704123450',
        companyName: 'ООО «Заявитель»',
        programs: ['var'],
        submittedAt: hours(-1),
        reviewDeadline: new Date(twoDays.deadline),
        reminderAt: new Date(twoDays.reminderAt),
      },
    });
    const registration = (r: {
      id: string;
      kind: 'deal' | 'project';
      submittedAt: Date;
      reviewDeadline: Date | null;
      escalatedAt?: Date;
    }) =>
      db.registration.create({
        data: {
          ...r,
          partnerId: partner.partnerId,
          ...(r.kind === 'deal'
            ? { customerInn: '7701000001', customerName: `Customer ${r.id.slice(0, 4)}` }
            : { scope: 'folder' as const, cloudId: `cloud-${tag}`, folderId: `folder-${tag}` }),
          description: 'Queue test',
          submittedBy: 'user-queue',
        },
      });
    // A deal an hour past its deadline, escalated already.
    await registration({
      id: ids.overdueDeal,
      kind: 'deal',
      submittedAt: hours(-200),
      reviewDeadline: hours(-1),
      escalatedAt: hours(-1),
    });
    // A deal due with the application, submitted two hours before it: it comes first.
    await registration({
      id: ids.tiedDeal,
      kind: 'deal',
      submittedAt: hours(-3),
      reviewDeadline: new Date(twoDays.deadline),
    });
    // A project whose review has not started yet: its deadline comes from the SLA (3 days).
    await registration({
      id: ids.project,
      kind: 'project',
      submittedAt: started,
      reviewDeadline: null,
    });
    // A presale request answered already: due at the end of its desired date.
    await db.presaleRequest.create({
      data: {
        id: ids.answeredPresale,
        partnerId: partner.partnerId,
        organizationId: partner.organizationId,
        customerAccountId: partner.customerIds[0] as string,
        topic: 'Data warehouse sizing',
        description: 'Answered, due on the desired date',
        desiredDate: new Date(`${desiredDate}T00:00:00Z`),
        status: 'assigned',
        assignee: 'presale-pavel',
        slaDeadline: hours(-20),
        firstAnsweredAt: hours(-30),
        createdBy: 'user-queue',
        createdAt: hours(-48),
        updatedAt: hours(-30),
      },
    });

    const specialization = await call<{ id: string; reviewDeadline: string; submittedAt: string }>(
      'POST',
      '/v1/partners/me/specialization-applications',
      tokens.partner,
      { code: 'data-platform', evidence: 'Two certified engineers', certifiedEngineers: 2 },
    );
    expect(specialization.status).toBe(201);
    ids.specialization = specialization.body.id;
    const presale = await call<{ id: string }>(
      'POST',
      '/v1/partners/me/presale-requests',
      tokens.partner,
      {
        customerAccountId: partner.customerIds[0],
        topic: 'Kubernetes migration',
        description: 'Three clusters to move',
        desiredDate,
      },
    );
    expect(presale.status).toBe(201);
    ids.newPresale = presale.body.id;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  const queue = (token: string, query = '') =>
    call<Queue>('GET', `/v1/review-queue${query}`, token);

  it('gives a specialization application a review deadline five business days after submission', async () => {
    const res = await call<{ submittedAt: string; reviewDeadline: string }>(
      'GET',
      `/v1/specialization-applications/${ids.specialization}`,
      tokens.manager,
    );
    expect(res.status).toBe(200);
    expect(res.body.reviewDeadline).toBe(specializationReviewDeadline(res.body.submittedAt, 5));
    // 00:00 Moscow, at least a working week (seven calendar days or more) after submission.
    expect(res.body.reviewDeadline).toMatch(/T21:00:00\.000Z$/);
    expect(Date.parse(res.body.reviewDeadline) - Date.parse(res.body.submittedAt)).toBeGreaterThan(
      6 * 86_400_000,
    );
  });

  it('lists every kind in one list, nearest deadline first, ties by earlier submission', async () => {
    const res = await queue(tokens.manager);
    expect(res.status).toBe(200);
    expect(res.body.items.map((item) => [item.kind, item.id])).toEqual([
      ['deal', ids.overdueDeal],
      ['presale', ids.newPresale],
      ['deal', ids.tiedDeal],
      ['application', ids.application],
      ['project', ids.project],
      ['specialization', ids.specialization],
      ['presale', ids.answeredPresale],
    ]);
    const deadlines = res.body.items.map((item) => Date.parse(item.deadline));
    expect([...deadlines].sort((a, b) => a - b)).toEqual(deadlines);
  });

  it('gives each item the common fields, and the application keeps the fields it had', async () => {
    const { items } = (await queue(tokens.manager)).body;
    const byId = new Map(items.map((item) => [item.id, item]));

    expect(byId.get(ids.overdueDeal)).toMatchObject({
      title: `Customer ${ids.overdueDeal.slice(0, 4)}`,
      partnerName: 'ООО «Очередь»',
      status: 'pending',
      deadline: hours(-1).toISOString(),
      overdue: true,
      businessDaysLeft: 0,
      escalated: true,
    });
    expect(byId.get(ids.application)).toMatchObject({
      title: 'ООО «Заявитель»',
      partnerName: null,
      status: 'in_review',
      submittedAt: hours(-1).toISOString(),
      deadline: twoDays.deadline,
      lastReviewDay: twoDays.lastReviewDay,
      overdue: false,
      escalated: false,
      applicationId: ids.application,
      organizationId: `org-applicant-${tag}`,
      companyName: 'ООО «Заявитель»',
      companyInn: '7704123450',
      programs: ['var'],
    });
    // Two business days after today, plus today when today is a business day.
    expect([2, 3]).toContain(byId.get(ids.application)?.businessDaysLeft);
    expect(byId.get(ids.project)).toMatchObject({
      title: `cloud-${tag}/folder-${tag}`,
      partnerName: 'ООО «Очередь»',
      status: 'pending',
      deadline: registrationSla(started.toISOString(), 3).deadline,
      overdue: false,
      escalated: false,
    });
    expect(byId.get(ids.specialization)).toMatchObject({
      title: 'Data platform',
      partnerName: 'ООО «Очередь»',
      status: 'open',
      code: 'data-platform',
      overdue: false,
      escalated: false,
    });
    const newPresale = byId.get(ids.newPresale);
    expect(newPresale).toMatchObject({
      title: 'Kubernetes migration',
      partnerName: 'ООО «Очередь»',
      status: 'new',
      deadline: presaleSla(newPresale?.submittedAt as string, 1).deadline,
      overdue: false,
      escalated: false,
    });
    // Answered: due at 00:00 Moscow after the desired date; its late first answer no longer counts.
    expect(byId.get(ids.answeredPresale)).toMatchObject({
      title: 'Data warehouse sizing',
      status: 'assigned',
      deadline: moscowMidnight(addDays(desiredDate, 1)).toISOString(),
      lastReviewDay: desiredDate,
      overdue: false,
      escalated: false,
    });
    for (const item of items) {
      expect(item.businessDaysLeft).toBeGreaterThanOrEqual(0);
      expect(item.lastReviewDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('filters by kind and keeps the limit', async () => {
    const deals = await queue(tokens.manager, '?kind=deal');
    expect(deals.body.items.map((item) => item.id)).toEqual([ids.overdueDeal, ids.tiedDeal]);
    const projects = await queue(tokens.manager, '?kind=project');
    expect(projects.body.items.map((item) => item.id)).toEqual([ids.project]);
    const first = await queue(tokens.manager, '?limit=2');
    expect(first.body.items.map((item) => item.id)).toEqual([ids.overdueDeal, ids.newPresale]);
    expect((await queue(tokens.manager, '?kind=everything')).status).toBe(400);
  });

  it('shows the presale staff the presale requests only', async () => {
    const res = await queue(tokens.presale);
    expect(res.status).toBe(200);
    expect(res.body.items.map((item) => [item.kind, item.id])).toEqual([
      ['presale', ids.newPresale],
      ['presale', ids.answeredPresale],
    ]);
    expect((await queue(tokens.presale, '?kind=deal')).body.items).toEqual([]);
  });

  it('refuses partners and other roles', async () => {
    expect((await queue(tokens.partner)).status).toBe(403);
    expect((await queue(tokens.finance)).status).toBe(403);
  });
});
