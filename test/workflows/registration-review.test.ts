import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import {
  createRegistrationRepository,
  type NewRegistration,
  type RegistrationRepository,
} from '../../prisma/repositories/registration.repository';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import { dealEndDate, registrationSla, renewedEndDate } from '../../domain/registrations';
import type { Database } from '../../prisma/client';
import { registrationReviewWorkflow } from '../../workflows';
import {
  approveRegistrationUpdate,
  registrationReviewWorkflowId,
  registrationStateQuery,
  rejectRegistrationUpdate,
  renewRegistrationUpdate,
  type RegistrationReviewState,
} from '../../workflows/registration-review.contracts';
import { createPartner } from '../support/fixtures';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { recordHistory } from '../support/histories';

const DAY = 24 * 60 * 60 * 1000;

/** The review of a registered deal on the time-skipping server: days and years in seconds. */
describe('registration review workflow', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let registrations: RegistrationRepository;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('registrations');

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    registrations = createRegistrationRepository(db);
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

  function registrationInput(partnerId: string, customer: string): NewRegistration {
    return {
      id: randomUUID(),
      partnerId,
      kind: 'deal' as const,
      customerAccountId: customer,
      customerInn: null,
      customerName: customer,
      claimKey: `account:${customer}`,
      expectedMonthly: '100000.00',
      scope: null,
      cloudId: null,
      folderId: null,
      expectedGrowth: null,
      baselineDefault: null,
      description: 'Migration of the data warehouse',
      startDate: null,
      submittedBy: 'partner-user',
      submittedAt: '',
      renewalOf: null,
    };
  }

  /** A partner, a pending deal registration of its first customer, and its review. */
  async function submitDeal(): Promise<{
    handle: WorkflowHandle<typeof registrationReviewWorkflow>;
    id: string;
    customer: string;
    partnerId: string;
    submittedAt: string;
  }> {
    const tag = `rr-${randomUUID().slice(0, 8)}`;
    const partner = await createPartner(db, {
      tag,
      name: 'ООО «Сделка»',
      memberSince: '2026-01-01',
    });
    const customer = partner.customerIds[0] as string;
    const submittedAt = new Date(await env.currentTimeMs()).toISOString();
    const input = registrationInput(partner.partnerId, customer);
    const id = input.id;
    await registrations.submit({ ...input, submittedAt });
    const handle = await env.client.workflow.start(registrationReviewWorkflow, {
      taskQueue,
      workflowId: registrationReviewWorkflowId(id),
      args: [
        {
          registrationId: id,
          kind: 'deal',
          partnerId: partner.partnerId,
          submittedAt,
          slaBusinessDays: 3,
          dealTermMonths: 12,
          requestedStart: null,
          recipients: { managers: 'partner-managers', supervisors: 'partner-supervisors' },
        },
      ],
    });
    return { handle, id, customer, partnerId: partner.partnerId, submittedAt };
  }

  async function state(handle: WorkflowHandle): Promise<RegistrationReviewState> {
    return handle.query(registrationStateQuery);
  }

  async function kinds(id: string): Promise<string[]> {
    const rows = await db.notification.findMany({
      where: { idempotencyKey: { startsWith: `registration:${id}:` } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => `${r.kind}→${r.recipient}`);
  }

  // First: the other test moves the server's clock two years on, past the production calendar.
  it('rejects with a reason only, and a rejection releases the customer for a new registration', async () => {
    const { handle, id, customer, partnerId } = await submitDeal();
    await expect(
      handle.executeUpdate(rejectRegistrationUpdate, {
        args: [{ decidedBy: 'manager-maria', reason: '  ' }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const rejected = await handle.executeUpdate(rejectRegistrationUpdate, {
      args: [{ decidedBy: 'manager-maria', reason: 'The customer is already served directly' }],
    });
    expect(rejected.status).toBe('rejected');
    await waitUntilClosed(handle);
    const row = await registrations.find(id);
    expect(row).toMatchObject({
      status: 'rejected',
      decidedBy: 'manager-maria',
      reason: 'The customer is already served directly',
    });
    expect(await db.deal.findUnique({ where: { id } })).toBeNull();
    // The claim on the customer is released: a new registration of it is accepted.
    const again = await registrations.submit({
      ...registrationInput(partnerId, customer),
      submittedAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    expect(again.status).toBe('pending');
  }, 60_000);

  it('reminds the managers a business day before the deadline, escalates at it, never approves by itself; approval caps the uplift and links the customer for the term; a renewal extends it; then it expires', async () => {
    const { handle, id, customer, submittedAt } = await submitDeal();
    const sla = registrationSla(submittedAt, 3);
    // Just before the reminder nothing has happened yet.
    await env.sleep(Date.parse(sla.reminderAt) - (await env.currentTimeMs()) - 60_000);
    expect((await state(handle)).remindedAt).toBeNull();
    expect((await registrations.find(id))?.reviewDeadline).toBe(sla.deadline);

    await env.sleep(2 * 60_000);
    expect((await state(handle)).remindedAt).not.toBeNull();
    expect((await state(handle)).escalatedAt).toBeNull();
    expect(await kinds(id)).toEqual(['registration-review-reminder→partner-managers']);

    // A week past the deadline it is escalated and still waits for a manager.
    await env.sleep(Date.parse(sla.deadline) - (await env.currentTimeMs()) + 7 * DAY);
    const late = await state(handle);
    expect(late.status).toBe('pending');
    expect(late.escalatedAt).not.toBeNull();
    expect((await registrations.find(id))?.escalatedAt).not.toBeNull();
    expect(await kinds(id)).toEqual([
      'registration-review-reminder→partner-managers',
      'registration-review-escalated→partner-supervisors',
    ]);

    // Above 15 percentage points the update is refused before it is accepted.
    await expect(
      handle.executeUpdate(approveRegistrationUpdate, {
        args: [{ decidedBy: 'manager-maria', upliftRate: '0.16' }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await db.deal.findUnique({ where: { id } })).toBeNull();

    const approved = await handle.executeUpdate(approveRegistrationUpdate, {
      args: [{ decidedBy: 'manager-maria', upliftRate: '0.12' }],
    });
    const approvedOn = moscowDateOf(new Date(await env.currentTimeMs()));
    expect(approved.status).toBe('approved');
    expect(approved.startDate).toBe(approvedOn);
    expect(approved.endDate).toBe(dealEndDate(approvedOn, 12));
    const deal = await db.deal.findUniqueOrThrow({ where: { id } });
    expect(deal.customerAccountId).toBe(customer);
    expect(deal.upliftRate.toString()).toBe('0.12');
    expect(deal.endDate?.toISOString().slice(0, 10)).toBe(dealEndDate(approvedOn, 12));

    // A second decision is refused: the registration is no longer pending.
    await expect(
      handle.executeUpdate(rejectRegistrationUpdate, {
        args: [{ decidedBy: 'manager-ivan', reason: 'too late' }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    // Renewed before expiry: one more term from the end date, on the deal too.
    const renewed = await handle.executeUpdate(renewRegistrationUpdate, {
      args: [{ requestedBy: 'partner-user' }],
    });
    const newEnd = renewedEndDate(dealEndDate(approvedOn, 12), 12);
    expect(renewed.endDate).toBe(newEnd);
    expect(
      (await db.deal.findUniqueOrThrow({ where: { id } })).endDate?.toISOString().slice(0, 10),
    ).toBe(newEnd);

    // Still approved a year on (the first term would have ended), expired after the second.
    await env.sleep(400 * DAY);
    expect((await state(handle)).status).toBe('approved');
    await env.sleep(400 * DAY);
    await waitUntilClosed(handle);
    expect((await registrations.find(id))?.status).toBe('expired');
    const audit = await registrations.events(id);
    expect(audit.map((e) => `${e.fromStatus ?? '∅'}→${e.toStatus}`)).toEqual([
      '∅→pending',
      'pending→pending',
      'pending→approved',
      'approved→approved',
      'approved→expired',
    ]);
    expect(audit[2]).toMatchObject({ actor: 'manager-maria' });
    await recordHistory('registration-review', handle);
  }, 120_000);
});
