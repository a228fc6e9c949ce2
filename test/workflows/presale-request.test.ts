import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { presaleSla } from '../../domain/presales';
import type { Database } from '../../prisma/client';
import { createPresaleRepository } from '../../prisma/repositories/presale.repository';
import { presaleRequestWorkflow } from '../../workflows';
import {
  presaleEventSignal,
  presaleRequestStateQuery,
  presaleRequestWorkflowId,
  type PresaleEvent,
  type PresaleRequestState,
} from '../../workflows/presale-request.contracts';
import { recordHistory } from '../support/histories';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';

/**
 * A presale request's workflow on the time-skipping server with its real activities and the
 * test PostgreSQL: the first-answer SLA escalates to the presale leads when it passes, a
 * first answer before it stops the escalation, and the partner hears of every status change
 * and staff comment.
 */
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type Handle = WorkflowHandle<typeof presaleRequestWorkflow>;

describe('presaleRequestWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('presale-wf');

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    ({ worker, running } = await startTestWorker(env, {
      taskQueue,
      activities: createActivities({ db, config }),
    }));
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  /** A stored request and its workflow, started as the API starts it: with the first event. */
  async function submit(): Promise<{ handle: Handle; id: string; organizationId: string }> {
    const at = new Date(await env.currentTimeMs());
    const organizationId = `org-presale-wf-${randomUUID().slice(0, 8)}`;
    const { request, eventId } = await createPresaleRepository(db).create({
      partnerId: randomUUID(),
      organizationId,
      customerAccountId: `cust-${randomUUID()}`,
      projectId: null,
      topic: 'Data platform sizing',
      description: 'A customer moves its analytics',
      desiredDate: '2099-01-01',
      slaDeadline: presaleSla(at, 1).deadline,
      createdBy: 'user-partner',
      at,
    });
    const handle = await env.client.workflow.signalWithStart(presaleRequestWorkflow, {
      taskQueue,
      workflowId: presaleRequestWorkflowId(request.id),
      args: [
        {
          requestId: request.id,
          organizationId,
          topic: request.topic,
          slaDeadline: request.slaDeadline,
          recipients: { staff: 'presale@test', leads: 'presale-leads@test' },
        },
      ],
      signal: presaleEventSignal,
      signalArgs: [
        { eventId, kind: 'status', actor: 'user-partner', byStaff: false, from: null, to: 'new' },
      ],
    });
    return { handle, id: request.id, organizationId };
  }

  async function waitFor(
    handle: Handle,
    done: (s: PresaleRequestState) => boolean,
  ): Promise<PresaleRequestState> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(presaleRequestStateQuery);
      if (done(state)) return state;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the workflow did not reach the expected state');
  }

  const notificationsOf = async (id: string) =>
    (
      await db.notification.findMany({
        where: { idempotencyKey: { startsWith: `presale:${id}:` } },
        orderBy: { createdAt: 'asc' },
      })
    ).map((n) => [n.kind, n.recipientType, n.recipient]);

  const staffEvent = (parts: Partial<PresaleEvent>): PresaleEvent => ({
    eventId: randomUUID(),
    kind: 'status',
    actor: 'user-pavel',
    byStaff: true,
    ...parts,
  });

  it('escalates to the presale leads when the SLA passes unanswered, and ends when done', async () => {
    const { handle, id, organizationId } = await submit();
    const started = await waitFor(handle, (s) => s.notifications === 1);
    expect(started).toMatchObject({ status: 'new', firstAnsweredAt: null, escalatedAt: null });

    // One business day, at most four calendar days with a weekend and a holiday: past it.
    await env.sleep(Date.parse(started.slaDeadline) - (await env.currentTimeMs()) + HOUR);
    const escalated = await waitFor(handle, (s) => s.escalatedAt !== null);
    expect(Date.parse(escalated.escalatedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(started.slaDeadline),
    );
    const row = await db.presaleRequest.findUniqueOrThrow({ where: { id } });
    expect(row.escalatedAt?.toISOString()).toBe(escalated.escalatedAt);

    await handle.signal(
      presaleEventSignal,
      staffEvent({ from: 'new', to: 'assigned', assignee: 'Olga' }),
    );
    await handle.signal(presaleEventSignal, staffEvent({ from: 'assigned', to: 'in_progress' }));
    await handle.signal(presaleEventSignal, staffEvent({ from: 'in_progress', to: 'done' }));
    await waitUntilClosed(handle);
    // Closed already: a query replays it without letting the time-skipping clock leap.
    expect(await handle.query(presaleRequestStateQuery)).toMatchObject({
      status: 'done',
      escalatedAt: escalated.escalatedAt,
    });
    const partner = `organization:${organizationId}`;
    expect(await notificationsOf(id)).toEqual([
      ['presale-request-new', 'manager', 'presale@test'],
      ['presale-sla-escalated', 'supervisor', 'presale-leads@test'],
      ['presale-status-changed', 'partner', partner],
      ['presale-status-changed', 'partner', partner],
      ['presale-status-changed', 'partner', partner],
    ]);
    await recordHistory('presale-escalation', handle);
  }, 60_000);

  it('never escalates a request answered in time; a repeated signal notifies once', async () => {
    const { handle, id, organizationId } = await submit();
    await waitFor(handle, (s) => s.notifications === 1);
    await env.sleep(2 * HOUR);
    const comment = staffEvent({ kind: 'comment', comment: 'Which regions?' });
    await createPresaleRepository(db).comment({
      requestId: id,
      authorRole: 'staff',
      author: 'user-pavel',
      body: 'Which regions?',
      at: new Date(await env.currentTimeMs()),
    });
    await handle.signal(presaleEventSignal, comment);
    await handle.signal(presaleEventSignal, comment);
    const answered = await waitFor(handle, (s) => s.firstAnsweredAt !== null);
    await handle.signal(
      presaleEventSignal,
      staffEvent({ kind: 'comment', byStaff: false, actor: 'Anna', comment: 'Moscow' }),
    );

    await env.sleep(10 * DAY);
    const later = await handle.query(presaleRequestStateQuery);
    expect(later).toMatchObject({
      status: 'new',
      escalatedAt: null,
      firstAnsweredAt: answered.firstAnsweredAt,
    });
    expect((await db.presaleRequest.findUniqueOrThrow({ where: { id } })).escalatedAt).toBeNull();

    await handle.signal(
      presaleEventSignal,
      staffEvent({ from: 'new', to: 'declined', reason: 'No presale for this service' }),
    );
    await waitUntilClosed(handle);
    expect(await handle.query(presaleRequestStateQuery)).toMatchObject({
      status: 'declined',
      escalatedAt: null,
    });
    const partner = `organization:${organizationId}`;
    expect(await notificationsOf(id)).toEqual([
      ['presale-request-new', 'manager', 'presale@test'],
      ['presale-comment', 'partner', partner],
      ['presale-comment', 'manager', 'presale@test'],
      ['presale-status-changed', 'partner', partner],
    ]);
    const declined = await db.notification.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: `presale:${id}:` }, kind: 'presale-status-changed' },
    });
    expect(declined.body).toContain('declined: No presale for this service');
    await recordHistory('presale-first-answer', handle);
  }, 60_000);
});
