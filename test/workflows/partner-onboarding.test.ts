import { randomUUID } from 'node:crypto';
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import type { Database } from '../../prisma/client';
import { SEED_BILLING_ACCOUNTS, seedDevelopmentData } from '../../prisma/seed';
import {
  applicationStateQuery,
  approveApplicationUpdate,
  billingVerificationSignal,
  cancelApplicationUpdate,
  choosePartnershipUpdate,
  confirmCompanyUpdate,
  onboardingWorkflowId,
  recordVideoProgressUpdate,
  rejectApplicationUpdate,
  submitApplicationUpdate,
  submitBillingAccountUpdate,
  type ApplicationState,
  type StartOnboardingInput,
} from '../../workflows/partner-onboarding.contracts';
import { partnerOnboardingWorkflow } from '../../workflows';
import {
  startTestWorker,
  testConfig,
  testDatabase,
  timeSkippingEnvironment,
  uniqueTaskQueue,
  waitUntilClosed,
} from '../support/env';
import { recordHistory } from '../support/histories';

/**
 * The onboarding workflow on the time-skipping server with its real activities, the test
 * PostgreSQL and the offline company registry: weeks of waiting run in seconds.
 */
const DAY = 24 * 60 * 60 * 1000;

const contact = { name: 'Anna Petrova', email: 'anna@example.com', phone: '+7 495 123-45-67' };
const questionnaire = {
  companySize: '11-50' as const,
  specializations: ['integration', 'managed services'],
  customerCount: 40,
  motivation: 'We resell cloud to our logistics customers.',
};
const bankDetails = { bik: '044525225', account: '40702810938000000001' };

type Handle = WorkflowHandle<typeof partnerOnboardingWorkflow>;

describe('partnerOnboardingWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  const config = testConfig();
  const taskQueue = uniqueTaskQueue('onboarding-wf');

  async function startWorker(): Promise<void> {
    ({ worker, running } = await startTestWorker(env, {
      taskQueue,
      activities: createActivities({ db, config }),
    }));
  }

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDatabase();
    await seedDevelopmentData(db);
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.$disconnect();
  });

  async function start(overrides: Partial<StartOnboardingInput> = {}): Promise<Handle> {
    const input: StartOnboardingInput = {
      applicationId: randomUUID(),
      organizationId: `org-wf-${randomUUID().slice(0, 8)}`,
      identityMethod: 'new_id',
      startedBy: 'user-test',
      startedAt: new Date(await env.currentTimeMs()).toISOString(),
      referralProgramOpen: true,
      recipients: { managers: 'managers@test', supervisors: 'supervisors@test' },
      ...overrides,
    };
    return env.client.workflow.start(partnerOnboardingWorkflow, {
      taskQueue,
      workflowId: onboardingWorkflowId(input.organizationId),
      args: [input],
    });
  }

  async function waitFor(
    handle: Handle,
    done: (s: ApplicationState) => boolean,
  ): Promise<ApplicationState> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(applicationStateQuery);
      if (done(state)) return state;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the workflow did not reach the expected state');
  }

  /** Steps 3–4 with a company found by INN: the applicant reaches the billing-account step. */
  async function throughPartnership(handle: Handle, programs: ('var' | 'referral')[] = ['var']) {
    const actor = 'user-test';
    await handle.executeUpdate(submitApplicationUpdate, {
      args: [{ actor, contact, company: { inn: FIXTURE_INN.active } }],
    });
    await handle.executeUpdate(confirmCompanyUpdate, { args: [{ actor, confirmed: true }] });
    await handle.executeUpdate(recordVideoProgressUpdate, {
      args: [{ actor, positionSeconds: 300, durationSeconds: 300 }],
    });
    return handle.executeUpdate(choosePartnershipUpdate, {
      args: [
        {
          actor,
          programs,
          taxationType: 'general_with_vat',
          questionnaire,
          bankDetails: programs.includes('referral') ? bankDetails : undefined,
        },
      ],
    });
  }

  /** Step 5 and a successful verification: the application reaches the manager. */
  async function throughBillingVerification(
    handle: Handle,
    beforeVerification?: (billingAccountId: string) => Promise<unknown>,
  ): Promise<ApplicationState> {
    const submitted = await handle.executeUpdate(submitBillingAccountUpdate, {
      args: [{ actor: 'user-test', name: 'Main account', type: 'business' }],
    });
    expect(submitted.status).toBe('awaiting_billing_verification');
    const billingAccountId = submitted.billingAccount?.id as string;
    await beforeVerification?.(billingAccountId);
    await handle.signal(billingVerificationSignal, { billingAccountId, result: 'approved' });
    return waitFor(handle, (s) => s.status === 'in_review');
  }

  async function closedState(handle: Handle): Promise<ApplicationState> {
    await waitUntilClosed(handle);
    return handle.query(applicationStateQuery);
  }

  async function notificationsOf(applicationId: string) {
    const rows = await db.notification.findMany({
      where: { idempotencyKey: { startsWith: `application:${applicationId}:` } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((n) => [n.kind, n.recipientType, n.recipient]);
  }

  function failureOf(error: unknown): ApplicationFailure {
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }

  it('takes a VAR applicant from the INN to partner status', async () => {
    const handle = await start();
    const afterPartnership = await throughPartnership(handle);
    expect(afterPartnership).toMatchObject({
      step: 'billing_account',
      programs: ['var'],
      companyConfirmed: true,
    });
    expect(afterPartnership.company).toMatchObject({ inn: FIXTURE_INN.active, status: 'active' });

    const inReview = await throughBillingVerification(handle);
    expect(inReview.billingAccount).toMatchObject({
      verification: 'approved',
      upgradedToPaid: true,
    });
    expect(inReview.review?.deadline).toBeDefined();

    const approved = await handle.executeUpdate(approveApplicationUpdate, {
      args: [{ actor: 'user-maria', startDate: '2027-01-01' }],
    });
    expect(approved).toMatchObject({ status: 'approved', step: 'decision' });
    const outcome = await closedState(handle);
    expect(outcome.status).toBe('approved');

    const partner = await db.partner.findUniqueOrThrow({
      where: { applicationId: inReview.applicationId },
      include: { memberships: true },
    });
    expect(partner).toMatchObject({
      id: outcome.decision?.partnerId,
      organizationId: inReview.organizationId,
      inn: FIXTURE_INN.active,
      status: 'active',
      approvedBy: 'user-maria',
      taxationType: 'general_with_vat',
    });
    expect(partner.startDate.toISOString().slice(0, 10)).toBe('2027-01-01');
    expect(partner.memberships.map((m) => m.program)).toEqual(['var']);

    const account = await db.billingAccount.findUniqueOrThrow({
      where: { id: partner.billingAccountId },
    });
    expect(account).toMatchObject({
      status: 'paid',
      verificationStatus: 'approved',
      type: 'business',
    });
    expect(account.upgradedAt).not.toBeNull();

    const row = await db.application.findUniqueOrThrow({ where: { id: inReview.applicationId } });
    expect(row).toMatchObject({
      status: 'approved',
      decidedBy: 'user-maria',
      companyInn: FIXTURE_INN.active,
    });
    expect(await notificationsOf(inReview.applicationId)).toEqual([
      ['review-requested', 'manager', 'managers@test'],
      ['application-approved', 'applicant', `organization:${inReview.organizationId}`],
    ]);
    const audit = await db.auditEvent.findMany({
      where: { entityId: inReview.applicationId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => [e.actor, e.fromState, e.toState])).toEqual(
      expect.arrayContaining([
        ['billing-system', 'awaiting_billing_verification', 'in_review'],
        ['user-maria', 'in_review', 'approved'],
      ]),
    );
    await recordHistory('var-happy-path', handle);
  });

  it('uses an existing billing account that meets the requirements and locks it', async () => {
    const handle = await start({ organizationId: 'org-1001' });
    const state = await handle.executeUpdate(submitApplicationUpdate, {
      args: [
        {
          actor: 'user-anna',
          contact,
          company: { billingAccountId: SEED_BILLING_ACCOUNTS.eligible },
        },
      ],
    });
    expect(state).toMatchObject({ step: 'partnership_type', companyConfirmed: true });
    expect(state.billingAccount).toMatchObject({
      id: SEED_BILLING_ACCOUNTS.eligible,
      source: 'existing',
    });
    const account = await db.billingAccount.findUniqueOrThrow({
      where: { id: SEED_BILLING_ACCOUNTS.eligible },
    });
    expect(account.lockedByApplication).toBe(state.applicationId);

    // Once chosen, the billing account cannot be changed.
    const again = handle.executeUpdate(submitApplicationUpdate, {
      args: [{ actor: 'user-anna', contact, company: { inn: FIXTURE_INN.smallLlc } }],
    });
    await expect(again).rejects.toThrow(WorkflowUpdateFailedError);

    // Referral with the bank details of the account; straight to review, no new verification.
    await handle.executeUpdate(recordVideoProgressUpdate, {
      args: [{ actor: 'user-anna', positionSeconds: 120, durationSeconds: 120 }],
    });
    const chosen = await handle.executeUpdate(choosePartnershipUpdate, {
      args: [
        {
          actor: 'user-anna',
          programs: ['var', 'referral'],
          taxationType: 'simplified',
          questionnaire,
        },
      ],
    });
    expect(chosen).toMatchObject({
      status: 'in_review',
      step: 'manager_review',
      programs: ['var', 'referral'],
    });
    await handle.executeUpdate(cancelApplicationUpdate, {
      args: [{ actor: 'user-anna', reason: 'test done' }],
    });
  });

  it('refuses a billing account that does not qualify, before anything is stored', async () => {
    const handle = await start({ organizationId: 'org-1002' });
    const error = await handle
      .executeUpdate(submitApplicationUpdate, {
        args: [
          {
            actor: 'user-boris',
            contact,
            company: { billingAccountId: SEED_BILLING_ACCOUNTS.ineligible },
          },
        ],
      })
      .catch((e: unknown) => e);
    const failure = failureOf(error);
    expect(failure.type).toBe('ValidationFailed');
    expect(failure.details?.[0]).toMatchObject([
      {
        field: 'company.billingAccountId',
        message: 'must be a business account (legal entity or individual entrepreneur)',
      },
      {
        field: 'company.billingAccountId',
        message: 'the payment method must be invoice / wire transfer',
      },
    ]);
    expect((await handle.query(applicationStateQuery)).billingAccount).toBeNull();
    await handle.terminate('test done');
  });

  it('refuses a liquidated company and an INN with a wrong check digit', async () => {
    const handle = await start();
    const liquidated = await handle
      .executeUpdate(submitApplicationUpdate, {
        args: [{ actor: 'user-test', contact, company: { inn: FIXTURE_INN.liquidated } }],
      })
      .catch((e: unknown) => e);
    expect(failureOf(liquidated).message).toMatch(/liquidated/);

    const badInn = await handle
      .executeUpdate(submitApplicationUpdate, {
        args: [{ actor: 'user-test', contact, company: { inn: '7704123451' } }],
      })
      .catch((e: unknown) => e);
    expect(failureOf(badInn).details?.[0]).toMatchObject([
      { field: 'company.inn', message: 'check digit does not match', code: 'check_digit' },
    ]);
    // The stable reason travels beside the problems, for the API to answer with.
    expect(failureOf(badInn).details?.[1]).toEqual({ reason: 'validation_failed' });
    // A validator's refusal never enters the workflow history.
    const history = await handle.fetchHistory();
    const accepted =
      history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1); // only the liquidated-company attempt got past its validator
    await handle.terminate('test done');
  });

  it('refuses referral without bank details, and the partnership type before the video ends', async () => {
    const handle = await start();
    await handle.executeUpdate(submitApplicationUpdate, {
      args: [{ actor: 'user-test', contact, company: { inn: FIXTURE_INN.smallLlc } }],
    });
    await handle.executeUpdate(confirmCompanyUpdate, {
      args: [{ actor: 'user-test', confirmed: true }],
    });
    const choose = (programs: ('var' | 'referral')[]) =>
      handle
        .executeUpdate(choosePartnershipUpdate, {
          args: [{ actor: 'user-test', programs, taxationType: 'simplified', questionnaire }],
        })
        .catch((e: unknown) => e);

    const beforeVideo = failureOf(await choose(['var']));
    expect(beforeVideo.details?.[0]).toMatchObject([
      {
        field: 'programs',
        message: 'watch the information video to the end before choosing the partnership type',
      },
    ]);

    await handle.executeUpdate(recordVideoProgressUpdate, {
      args: [{ actor: 'user-test', positionSeconds: 100, durationSeconds: 300 }],
    });
    expect((await handle.query(applicationStateQuery)).videoWatched).toBe(false);
    await handle.executeUpdate(recordVideoProgressUpdate, {
      args: [{ actor: 'user-test', positionSeconds: 300, durationSeconds: 300 }],
    });

    const referral = failureOf(await choose(['referral']));
    expect(referral.details?.[0]).toMatchObject([
      {
        field: 'bankDetails',
        message: 'the referral program requires bank details (BIK and settlement account)',
      },
    ]);
    const state = await handle.query(applicationStateQuery);
    expect(state).toMatchObject({ step: 'partnership_type', programs: [] });
    await handle.terminate('test done');
  });

  it('refuses the referral type when the referral program is closed', async () => {
    const handle = await start({ referralProgramOpen: false });
    await handle.executeUpdate(submitApplicationUpdate, {
      args: [{ actor: 'user-test', contact, company: { inn: FIXTURE_INN.active } }],
    });
    await handle.executeUpdate(confirmCompanyUpdate, {
      args: [{ actor: 'user-test', confirmed: true }],
    });
    await handle.executeUpdate(recordVideoProgressUpdate, {
      args: [{ actor: 'user-test', positionSeconds: 60, durationSeconds: 60 }],
    });
    const error = await handle
      .executeUpdate(choosePartnershipUpdate, {
        args: [
          {
            actor: 'user-test',
            programs: ['referral'],
            taxationType: 'patent',
            questionnaire,
            bankDetails,
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(failureOf(error).details?.[0]).toMatchObject([
      {
        field: 'programs',
        message: 'the referral program no longer accepts new partners; choose VAR',
      },
    ]);
    await handle.terminate('test done');
  });

  it('handles a failed billing verification, reminds while waiting, and accepts a corrected account', async () => {
    const handle = await start();
    await throughPartnership(handle);
    const submitted = await handle.executeUpdate(submitBillingAccountUpdate, {
      args: [{ actor: 'user-test', name: 'Main account', type: 'business' }],
    });
    const billingAccountId = submitted.billingAccount?.id as string;

    // The check takes days: a reminder every two days while waiting.
    await env.sleep(5 * DAY);
    expect(await notificationsOf(submitted.applicationId)).toEqual([
      ['billing-verification-pending', 'applicant', `organization:${submitted.organizationId}`],
      ['billing-verification-pending', 'applicant', `organization:${submitted.organizationId}`],
    ]);

    await handle.signal(billingVerificationSignal, {
      billingAccountId,
      result: 'rejected',
      reason: 'The legal address does not match the registry',
    });
    const rejected = await waitFor(handle, (s) => s.billingAccount?.verification === 'rejected');
    expect(rejected).toMatchObject({ status: 'draft', step: 'billing_account' });
    expect(rejected.nextAction).toBe(
      'Correct the billing account: The legal address does not match the registry',
    );
    const row = await db.billingAccount.findUniqueOrThrow({ where: { id: billingAccountId } });
    expect(row).toMatchObject({ verificationStatus: 'rejected', status: 'trial' });

    // Corrected: the same account goes back to verification and then to review.
    const resubmitted = await handle.executeUpdate(submitBillingAccountUpdate, {
      args: [{ actor: 'user-test', name: 'Main account (corrected)', type: 'business' }],
    });
    expect(resubmitted.billingAccount?.id).toBe(billingAccountId);
    await handle.signal(billingVerificationSignal, { billingAccountId, result: 'approved' });
    await waitFor(handle, (s) => s.status === 'in_review');
    await handle.executeUpdate(rejectApplicationUpdate, {
      args: [{ actor: 'user-maria', reason: 'test done' }],
    });
    await recordHistory('billing-verification-failed', handle);
  });

  it('approves before the deadline without reminding or escalating', async () => {
    const handle = await start();
    await throughPartnership(handle);
    const inReview = await throughBillingVerification(handle);
    await env.sleep(2 * DAY);
    await handle.executeUpdate(approveApplicationUpdate, { args: [{ actor: 'user-maria' }] });
    await closedState(handle);
    const kinds = (await notificationsOf(inReview.applicationId)).map(([kind]) => kind);
    expect(kinds).toEqual(['review-requested', 'application-approved']);
    const row = await db.application.findUniqueOrThrow({ where: { id: inReview.applicationId } });
    expect(row.escalatedAt).toBeNull();
  });

  it('records a rejection with its reason and tells the applicant', async () => {
    const handle = await start();
    await throughPartnership(handle);
    const inReview = await throughBillingVerification(handle);
    const empty = await handle
      .executeUpdate(rejectApplicationUpdate, { args: [{ actor: 'user-maria', reason: '  ' }] })
      .catch((e: unknown) => e);
    expect(failureOf(empty).details?.[0]).toMatchObject([
      { field: 'reason', message: 'give the applicant a reason' },
    ]);

    const rejected = await handle.executeUpdate(rejectApplicationUpdate, {
      args: [{ actor: 'user-maria', reason: 'No cloud experience yet' }],
    });
    expect(rejected.decision).toMatchObject({
      outcome: 'rejected',
      by: 'user-maria',
      reason: 'No cloud experience yet',
    });
    expect((await closedState(handle)).status).toBe('rejected');
    const row = await db.application.findUniqueOrThrow({ where: { id: inReview.applicationId } });
    expect(row).toMatchObject({
      status: 'rejected',
      decisionReason: 'No cloud experience yet',
      decidedBy: 'user-maria',
    });
    expect(
      await db.partner.findUnique({ where: { applicationId: inReview.applicationId } }),
    ).toBeNull();
    expect((await notificationsOf(inReview.applicationId)).map(([k]) => k)).toEqual([
      'review-requested',
      'application-rejected',
    ]);
  });

  it('runs a change sent while another is in progress after it, instead of refusing it as busy', async () => {
    const handle = await start();
    const actor = 'user-test';
    // The confirmation arrives while the submission still looks the company up in the
    // registry: it waits for its turn and then finds the company card to confirm.
    const submitting = await handle.startUpdate(submitApplicationUpdate, {
      args: [{ actor, contact, company: { inn: FIXTURE_INN.active } }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    const confirmed = await handle.executeUpdate(confirmCompanyUpdate, {
      args: [{ actor, confirmed: true }],
    });
    const submitted = await submitting.result();
    expect(submitted.company?.inn).toBe(FIXTURE_INN.active);
    expect(confirmed).toMatchObject({ step: 'partnership_type', companyConfirmed: true });
    const audit = await db.auditEvent.findMany({
      where: { entityId: confirmed.applicationId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.action).filter((a) => a !== 'started')).toEqual([
      'application submitted',
      'company confirmed',
    ]);
    await handle.executeUpdate(cancelApplicationUpdate, { args: [{ actor }] });
    await waitUntilClosed(handle);
    await recordHistory('serialized-updates', handle);
  });

  it("keeps the applicant's details unchanged when the registry look-up refuses the company", async () => {
    const handle = await start();
    const failure = await handle
      .executeUpdate(submitApplicationUpdate, {
        args: [{ actor: 'user-test', contact, company: { inn: FIXTURE_INN.liquidated } }],
      })
      .catch((error: unknown) => error);
    expect(failureOf(failure).type).toBe('ValidationFailed');
    const state = await handle.query(applicationStateQuery);
    expect(state).toMatchObject({ contact: null, company: null, step: 'application' });
    await handle.executeUpdate(cancelApplicationUpdate, { args: [{ actor: 'user-test' }] });
  });

  it('lets the applicant cancel and refuses a second cancel', async () => {
    const handle = await start();
    const state = await handle.executeUpdate(cancelApplicationUpdate, {
      args: [{ actor: 'user-test', reason: 'not now' }],
    });
    expect(state.status).toBe('cancelled');
    expect((await closedState(handle)).status).toBe('cancelled');
    const events = await db.auditEvent.findMany({
      where: { entityId: state.applicationId },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['started', null, 'draft'],
      ['cancelled: not now', 'draft', 'cancelled'],
    ]);
    await expect(
      handle.executeUpdate(cancelApplicationUpdate, { args: [{ actor: 'user-test' }] }),
    ).rejects.toThrow();
  });

  it('carries on after the worker restarts in the middle of a wait', async () => {
    const handle = await start();
    await throughPartnership(handle);
    const submitted = await handle.executeUpdate(submitBillingAccountUpdate, {
      args: [{ actor: 'user-test', name: 'Main account', type: 'business' }],
    });
    worker.shutdown();
    await running;
    // The verification result arrives while no worker runs; a new worker process takes over.
    await handle.signal(billingVerificationSignal, {
      billingAccountId: submitted.billingAccount?.id as string,
      result: 'approved',
    });
    await startWorker();
    const inReview = await waitFor(handle, (s) => s.status === 'in_review');
    expect(inReview.billingAccount?.upgradedToPaid).toBe(true);
    await handle.executeUpdate(approveApplicationUpdate, { args: [{ actor: 'user-maria' }] });
    expect((await closedState(handle)).status).toBe('approved');
  });

  /**
   * Submissions whose seven business days cross public holidays, worked out by hand from
   * the decrees; the test uses the first one still ahead of the test server's clock.
   */
  const HOLIDAY_CASES = [
    // Thu 24 Dec 2026: 25, 28, 29, 30 Dec; 31 Dec–10 Jan off; 11, 12, 13 Jan.
    {
      submit: '2026-12-24T07:00:00Z',
      lastReviewDay: '2027-01-13',
      reminderAt: '2027-01-12T21:00:00.000Z',
      deadline: '2027-01-13T21:00:00.000Z',
    },
    // Thu 18 Feb 2027: 19, Sat 20 (working); 22–23 off; 24, 25, 26 Feb; 1, 2 Mar.
    {
      submit: '2027-02-18T07:00:00Z',
      lastReviewDay: '2027-03-02',
      reminderAt: '2027-03-01T21:00:00.000Z',
      deadline: '2027-03-02T21:00:00.000Z',
    },
    // Thu 29 Apr 2027: 30 Apr; 1–3 May off; 4–7 May; 8–10 May off; 11, 12 May.
    {
      submit: '2027-04-29T07:00:00Z',
      lastReviewDay: '2027-05-12',
      reminderAt: '2027-05-11T21:00:00.000Z',
      deadline: '2027-05-12T21:00:00.000Z',
    },
    // Wed 3 Nov 2027: 4–7 Nov off; 8–12, 15, 16 Nov.
    {
      submit: '2027-11-03T07:00:00Z',
      lastReviewDay: '2027-11-16',
      reminderAt: '2027-11-15T21:00:00.000Z',
      deadline: '2027-11-16T21:00:00.000Z',
    },
  ];

  it('reminds the manager a business day before a deadline across holidays, escalates at it, and never approves by itself', async () => {
    const handle = await start();
    await throughPartnership(handle);
    const submitted = await handle.executeUpdate(submitBillingAccountUpdate, {
      args: [{ actor: 'user-test', name: 'Main account', type: 'business' }],
    });
    const now = await env.currentTimeMs();
    const holidayCase = HOLIDAY_CASES.find((c) => Date.parse(c.submit) > now + 60 * 60 * 1000);
    if (!holidayCase) {
      throw new Error(
        'Every holiday case lies in the past: add the next year’s calendar and a case for it',
      );
    }
    // The verification comes back on the chosen day; the application reaches the manager then.
    await env.sleep(Date.parse(holidayCase.submit) - now);
    await handle.signal(billingVerificationSignal, {
      billingAccountId: submitted.billingAccount?.id as string,
      result: 'approved',
    });
    const inReview = await waitFor(handle, (s) => s.status === 'in_review');
    expect(inReview.review).toMatchObject({
      lastReviewDay: holidayCase.lastReviewDay,
      reminderAt: holidayCase.reminderAt,
      deadline: holidayCase.deadline,
      remindedAt: null,
      escalatedAt: null,
    });
    const staffMessages = async () =>
      (await notificationsOf(inReview.applicationId)).filter(([, type]) => type !== 'applicant');

    await env.sleep(Date.parse(holidayCase.reminderAt) - (await env.currentTimeMs()) - 60_000);
    expect((await handle.query(applicationStateQuery)).review?.remindedAt).toBeNull();
    await env.sleep(2 * 60_000);
    const reminded = await handle.query(applicationStateQuery);
    expect(Date.parse(reminded.review?.remindedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(holidayCase.reminderAt),
    );
    expect(reminded.review?.escalatedAt).toBeNull();

    await env.sleep(Date.parse(holidayCase.deadline) - (await env.currentTimeMs()) + 60_000);
    const escalated = await handle.query(applicationStateQuery);
    expect(Date.parse(escalated.review?.escalatedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(holidayCase.deadline),
    );
    expect(await staffMessages()).toEqual([
      ['review-requested', 'manager', 'managers@test'],
      ['review-reminder', 'manager', 'managers@test'],
      ['review-escalated', 'supervisor', 'supervisors@test'],
    ]);
    const row = await db.application.findUniqueOrThrow({ where: { id: inReview.applicationId } });
    expect(row.escalatedAt?.toISOString()).toBe(escalated.review?.escalatedAt);
    expect(row.reviewDeadline?.toISOString()).toBe(holidayCase.deadline);

    // Weeks later it still waits for a person.
    await env.sleep(45 * DAY);
    expect((await handle.query(applicationStateQuery)).status).toBe('in_review');
    await handle.executeUpdate(approveApplicationUpdate, { args: [{ actor: 'user-maria' }] });
    expect((await closedState(handle)).status).toBe('approved');
    await recordHistory('review-reminder-escalation', handle);
  });

  it('expires after 30 days without applicant activity, counted from the last activity', async () => {
    const handle = await start();
    await env.sleep(20 * DAY);
    await handle.executeUpdate(submitApplicationUpdate, {
      args: [{ actor: 'user-test', contact, company: { inn: FIXTURE_INN.regional } }],
    });
    const afterActivity = await env.currentTimeMs();
    await env.sleep(31 * DAY);
    const outcome = await closedState(handle);
    expect(outcome.status).toBe('expired');
    const events = await db.auditEvent.findMany({
      where: { entityId: outcome.applicationId },
      orderBy: { id: 'asc' },
    });
    const expiredAt = events.at(-1)?.occurredAt.getTime() ?? 0;
    expect(events.at(-1)).toMatchObject({
      action: 'expired after 30 days without applicant activity',
      actor: 'system',
    });
    // Thirty days after the last activity, not after the start.
    expect((expiredAt - afterActivity) / DAY).toBeGreaterThanOrEqual(29.99);
    expect((expiredAt - afterActivity) / DAY).toBeLessThan(30.01);
  });
});
