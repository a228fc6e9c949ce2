import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Database } from '../../prisma/client';
import {
  applicationStateQuery,
  cancelApplicationUpdate,
  onboardingWorkflowId,
  type StartOnboardingInput,
} from '../../workflows/contracts';
import { partnerOnboardingWorkflow } from '../../workflows';
import { testDatabase, timeSkippingEnvironment, uniqueTaskQueue } from '../support/env';

/** The onboarding workflow on the time-skipping server, with its real activities and database. */
describe('partnerOnboardingWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('onboarding-wf');

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ db }),
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  async function input(): Promise<StartOnboardingInput> {
    return {
      applicationId: randomUUID(),
      organizationId: `org-wf-${randomUUID().slice(0, 8)}`,
      identityMethod: 'existing_account',
      startedBy: 'user-test',
      startedAt: new Date(await env.currentTimeMs()).toISOString(),
    };
  }

  it('stores the application and its first audit event', async () => {
    const start = await input();
    const handle = await env.client.workflow.start(partnerOnboardingWorkflow, {
      taskQueue,
      workflowId: onboardingWorkflowId(start.organizationId),
      args: [start],
    });
    let state = await handle.query(applicationStateQuery);
    for (let i = 0; i < 100 && !state.recorded; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await handle.query(applicationStateQuery);
    }
    expect(state).toMatchObject({ status: 'draft', step: 'application', recorded: true });

    const row = await db.application.findUniqueOrThrow({ where: { id: start.applicationId } });
    expect(row).toMatchObject({
      organizationId: start.organizationId,
      status: 'draft',
      identityMethod: 'existing_account',
      workflowId: onboardingWorkflowId(start.organizationId),
      workflowRunId: handle.firstExecutionRunId,
    });
    const events = await db.auditEvent.findMany({ where: { entityId: start.applicationId } });
    expect(events.map((e) => [e.action, e.fromState, e.toState, e.actor])).toEqual([
      ['started', null, 'draft', 'user-test'],
    ]);
    await handle.terminate('test done');
  });

  it('lets the applicant cancel, records who and when, and refuses a second cancel', async () => {
    const start = await input();
    const handle = await env.client.workflow.start(partnerOnboardingWorkflow, {
      taskQueue,
      workflowId: onboardingWorkflowId(start.organizationId),
      args: [start],
    });
    const state = await handle.executeUpdate(cancelApplicationUpdate, {
      args: [{ actor: 'user-test', reason: 'not now' }],
    });
    expect(state.status).toBe('cancelled');
    expect(await handle.result()).toEqual({
      applicationId: start.applicationId,
      status: 'cancelled',
    });

    const row = await db.application.findUniqueOrThrow({ where: { id: start.applicationId } });
    expect(row.status).toBe('cancelled');
    const events = await db.auditEvent.findMany({
      where: { entityId: start.applicationId },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['started', null, 'draft'],
      ['cancelled: not now', 'draft', 'cancelled'],
    ]);

    await expect(
      handle.executeUpdate(cancelApplicationUpdate, { args: [{ actor: 'user-test' }] }),
    ).rejects.toThrow();
    expect(await db.auditEvent.count({ where: { entityId: start.applicationId } })).toBe(2);
  });

  it('expires after 30 days without applicant activity', async () => {
    const start = await input();
    const handle = await env.client.workflow.start(partnerOnboardingWorkflow, {
      taskQueue,
      workflowId: onboardingWorkflowId(start.organizationId),
      args: [start],
    });
    const outcome = await handle.result();
    expect(outcome.status).toBe('expired');
    // Measured on the workflow's own clock, as the audit trail records it.
    const events = await db.auditEvent.findMany({
      where: { entityId: start.applicationId },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.action, e.fromState, e.toState, e.actor])).toEqual([
      ['started', null, 'draft', 'user-test'],
      ['expired', 'draft', 'expired', 'system'],
    ]);
    const waitedDays =
      ((events[1]?.occurredAt.getTime() ?? 0) - Date.parse(start.startedAt)) / 86_400_000;
    expect(waitedDays).toBeGreaterThanOrEqual(30);
    expect(waitedDays).toBeLessThan(30.01);
    const row = await db.application.findUniqueOrThrow({ where: { id: start.applicationId } });
    expect(row.status).toBe('expired');
  });
});
