import { randomUUID } from 'node:crypto';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { dateInMoscow } from '../../domain/programs';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface PresaleRequest {
  id: string;
  status: string;
  assignee: string | null;
  declineReason: string | null;
  customerAccountId: string | null;
  projectId: string | null;
  slaDeadline: string;
  firstAnsweredAt: string | null;
  escalatedAt: string | null;
}
interface Detail extends PresaleRequest {
  comments: { authorRole: string; author: string; body: string }[];
  history: { actor: string; from: string | null; to: string | null; reason: string | null }[];
}
interface Items<T> {
  items: T[];
}

/**
 * Presale requests through the HTTP API with the worker and the Temporal dev server: a
 * partner submits, presale staff assign, comment, work and finish it, the partner follows
 * the statuses and comments, and the notifications are recorded.
 */
describe('presale requests through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-presale') });
  let api: RunningApi;
  let worker: RunningWorker;
  let db: Database;
  const tag = randomUUID().slice(0, 8);
  const org = `org-presale-e2e-${tag}`;
  const otherOrg = `org-presale-e2e-other-${tag}`;
  const partnerId = randomUUID();
  const otherPartnerId = randomUUID();
  const customer = `cust-presale-e2e-${tag}`;
  const otherCustomer = `cust-presale-e2e-other-${tag}`;
  const projectId = randomUUID();
  const tokens = { partner: '', other: '', presale: '', manager: '', finance: '' };
  const today = dateInMoscow(new Date());
  const nextYear = `${Number(today.slice(0, 4)) + 1}-06-01`;

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

  async function createPartner(id: string, organizationId: string, customerId: string) {
    const own = `ba-${organizationId}`;
    for (const [accountId, parentId] of [
      [own, null],
      [customerId, own],
    ] as const) {
      await db.billingAccount.create({
        data: {
          id: accountId,
          organizationId: accountId === own ? organizationId : `org-${accountId}`,
          name: accountId,
          type: 'business',
          ownerResident: true,
          paymentMethod: 'invoice',
          parentId,
        },
      });
    }
    await db.partner.create({
      data: {
        id,
        organizationId,
        applicationId: randomUUID(),
        name: `Partner ${organizationId}`,
        billingAccountId: own,
        taxationType: 'simplified',
        startDate: new Date(`${today}T00:00:00Z`),
        approvedBy: 'user-maria',
      },
    });
  }

  const fields = (problem: Problem) => problem.errors?.map((e) => e.field);
  const submit = (body: Record<string, unknown>, token = tokens.partner) =>
    call<PresaleRequest & Problem>('POST', '/v1/partners/me/presale-requests', token, {
      topic: 'Kubernetes migration',
      description: 'Three clusters to move',
      desiredDate: nextYear,
      ...body,
    });
  const move = (id: string, body: Record<string, unknown>, token = tokens.presale) =>
    call<PresaleRequest & Problem>('POST', `/v1/presale-requests/${id}/status`, token, body);

  async function notificationsOf(id: string, count: number) {
    for (let i = 0; i < 200; i++) {
      const rows = await db.notification.findMany({
        where: { idempotencyKey: { startsWith: `presale:${id}:` } },
        orderBy: { createdAt: 'asc' },
      });
      if (rows.length >= count) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${count} notifications for ${id}`);
  }

  beforeAll(async () => {
    db = testDatabase();
    await createPartner(partnerId, org, customer);
    await createPartner(otherPartnerId, otherOrg, otherCustomer);
    await db.project.create({
      data: {
        id: projectId,
        partnerId,
        scope: 'cloud',
        cloudId: `cloud-${tag}`,
        baselineMonthly: '1000.00',
        rate: '0.10',
        registeredOn: new Date(`${today}T00:00:00Z`),
        registeredBy: 'user-maria',
      },
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: `anna-${tag}`,
      role: 'partner',
      organizationId: org,
    });
    tokens.other = await issuer.issue({
      subject: `boris-${tag}`,
      role: 'partner',
      organizationId: otherOrg,
    });
    tokens.presale = await issuer.issue({ subject: 'user-pavel', role: 'presale', name: 'Pavel' });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
    tokens.finance = await issuer.issue({ subject: 'user-fedor', role: 'finance' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  it('takes a request from the partner to done with comments both ways, audited and notified', async () => {
    const created = await submit({ customerAccountId: customer });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'new',
      customerAccountId: customer,
      projectId: null,
      assignee: null,
      firstAnsweredAt: null,
      escalatedAt: null,
    });
    const id = created.body.id;
    expect(Date.parse(created.body.slaDeadline)).toBeGreaterThan(Date.now());

    // The staff queue shows it; finance does not see the queue.
    const queue = await call<Items<PresaleRequest>>(
      'GET',
      '/v1/presale-requests?status=new',
      tokens.presale,
    );
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((r) => r.id)).toContain(id);
    const deadlines = queue.body.items.map((r) => r.slaDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    expect((await call('GET', '/v1/presale-requests', tokens.finance)).status).toBe(403);

    // An illegal move is a 409 naming the allowed ones; nothing changes.
    const early = await move(id, { status: 'done' });
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('can become assigned or declined');

    const assigned = await move(id, { status: 'assigned', assignee: 'Olga Presale' });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', assignee: 'Olga Presale' });
    expect(assigned.body.firstAnsweredAt).not.toBeNull();

    const staffComment = await call('POST', `/v1/presale-requests/${id}/comments`, tokens.presale, {
      text: 'Which regions are the clusters in?',
    });
    expect(staffComment.status).toBe(201);
    const partnerComment = await call(
      'POST',
      `/v1/presale-requests/${id}/comments`,
      tokens.partner,
      {
        text: 'Moscow and Saint Petersburg',
      },
    );
    expect(partnerComment.status).toBe(201);
    expect((await move(id, { status: 'in_progress' }, tokens.manager)).status).toBe(200);
    expect((await move(id, { status: 'done' })).body.status).toBe('done');

    const seen = await call<Detail>('GET', `/v1/presale-requests/${id}`, tokens.partner);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('done');
    expect(seen.body.comments.map((c) => [c.authorRole, c.body])).toEqual([
      ['staff', 'Which regions are the clusters in?'],
      ['partner', 'Moscow and Saint Petersburg'],
    ]);
    expect(seen.body.history.map((h) => [h.actor, h.from, h.to])).toEqual([
      [`anna-${tag}`, null, 'new'],
      ['user-pavel', 'new', 'assigned'],
      ['user-maria', 'assigned', 'in_progress'],
      ['user-pavel', 'in_progress', 'done'],
    ]);
    const mine = await call<Items<PresaleRequest>>(
      'GET',
      '/v1/partners/me/presale-requests',
      tokens.partner,
    );
    expect(mine.body.items.map((r) => [r.id, r.status])).toContainEqual([id, 'done']);

    // A finished request takes no more comments.
    const late = await call<Problem>(
      'POST',
      `/v1/presale-requests/${id}/comments`,
      tokens.partner,
      {
        text: 'One more thing',
      },
    );
    expect(late.status).toBe(409);

    const notes = await notificationsOf(id, 6);
    expect(notes.map((n) => [n.kind, n.recipientType, n.recipient])).toEqual([
      ['presale-request-new', 'manager', config.presale.staffRecipient],
      ['presale-status-changed', 'partner', `organization:${org}`],
      ['presale-comment', 'partner', `organization:${org}`],
      ['presale-comment', 'manager', config.presale.staffRecipient],
      ['presale-status-changed', 'partner', `organization:${org}`],
      ['presale-status-changed', 'partner', `organization:${org}`],
    ]);
    // The partner reads them in its own notifications.
    expect(notes.every((n) => n.organizationId === org)).toBe(true);
  }, 90_000);

  it('declines with a reason; a decline without one is 422 and a second decline 409', async () => {
    const created = await submit({ projectId });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const bare = await move(id, { status: 'declined' });
    expect(bare.status).toBe(422);
    expect(fields(bare.body)).toEqual(['reason']);
    const declined = await move(id, { status: 'declined', reason: 'No experts for this service' });
    expect(declined.body).toMatchObject({
      status: 'declined',
      declineReason: 'No experts for this service',
    });
    expect((await move(id, { status: 'declined', reason: 'again' })).status).toBe(409);
    const detail = await call<Detail>('GET', `/v1/presale-requests/${id}`, tokens.manager);
    expect(detail.body.history.at(-1)).toMatchObject({
      from: 'new',
      to: 'declined',
      reason: 'No experts for this service',
    });
  }, 60_000);

  it('refuses bad input field by field and stores nothing', async () => {
    const before = await db.presaleRequest.count({ where: { organizationId: org } });
    const foreign = await submit({ customerAccountId: otherCustomer });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toMatchObject([
      { field: 'customerAccountId', message: 'is not one of your customers' },
    ]);
    const unknownProject = await submit({ projectId: randomUUID() });
    expect(unknownProject.status).toBe(422);
    expect(fields(unknownProject.body)).toEqual(['projectId']);
    const past = await submit({ customerAccountId: customer, desiredDate: '2020-01-01' });
    expect(past.status).toBe(422);
    expect(fields(past.body)).toEqual(['desiredDate']);
    const both = await submit({ customerAccountId: customer, projectId });
    expect(both.status).toBe(422);
    const empty = await submit({ customerAccountId: customer, topic: '  ' });
    expect(empty.status).toBe(400);
    expect(fields(empty.body)).toEqual(['body.topic']);
    expect(await db.presaleRequest.count({ where: { organizationId: org } })).toBe(before);
  });

  it('assigns once when two staff members assign at once; the other gets 409', async () => {
    const id = (await submit({ customerAccountId: customer })).body.id;
    const answers = await Promise.all([
      move(id, { status: 'assigned', assignee: 'Olga' }),
      // The same move by a manager: whichever comes second finds it done (or changed) → 409.
      move(id, { status: 'assigned', assignee: 'Olga' }, tokens.manager),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const detail = await call<Detail>('GET', `/v1/presale-requests/${id}`, tokens.presale);
    expect(detail.body.history.filter((h) => h.to === 'assigned')).toHaveLength(1);
    expect(detail.body.assignee).toBe('Olga');
  });

  it('refuses a request from a partner that has left (409), storing nothing', async () => {
    await db.partner.update({ where: { id: otherPartnerId }, data: { status: 'left' } });
    const refused = await submit({ customerAccountId: otherCustomer }, tokens.other);
    expect(refused.status).toBe(409);
    expect(await db.presaleRequest.count({ where: { organizationId: otherOrg } })).toBe(0);
  });

  it('shows a partner only its own requests (404 for another partner’s)', async () => {
    const created = await submit({ customerAccountId: customer });
    const id = created.body.id;
    expect((await call('GET', `/v1/presale-requests/${id}`, tokens.other)).status).toBe(404);
    const comment = await call('POST', `/v1/presale-requests/${id}/comments`, tokens.other, {
      text: 'hello',
    });
    expect(comment.status).toBe(404);
    const theirs = await call<Items<PresaleRequest>>(
      'GET',
      '/v1/partners/me/presale-requests',
      tokens.other,
    );
    expect(theirs.body.items).toEqual([]);
    expect((await move(id, { status: 'assigned', assignee: 'x' }, tokens.partner)).status).toBe(
      403,
    );
  });
});
