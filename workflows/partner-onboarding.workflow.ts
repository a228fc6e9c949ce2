import { checkReasonCode } from '../domain/validators/codes';
import type { ProblemReason } from '../domain/problem-codes';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { moscowDateOf, reviewSla } from '../domain/calendar/production-calendar';
import { companyRefusal } from '../domain/company';
import {
  APPLICANT_INACTIVITY_DAYS,
  BILLING_VERIFICATION_REMINDER_DAYS,
  billingAccountProblems,
  contactProblems,
  isFinal,
  partnershipProblems,
  videoWatchedToEnd,
  type ApplicationStatus,
  type OnboardingStep,
  type Problem,
} from '../domain/onboarding';
import { validateBankDetails, validateInn } from '../domain/validators';
import type {
  ApplicationChangesInput,
  OnboardingActivities,
} from '../activities/onboarding.activities';
import type { NotificationActivities } from '../activities/notifications/notification.activities';
import { NOTIFICATION_ACTIVITY_OPTIONS } from './notifications.contracts';
import { APPLICATION_STATUS, PARTNER_ID, PARTNER_ORGANIZATION_ID } from './search-attributes';
import {
  ONBOARDING_FAILURES,
  applicationStateQuery,
  approveApplicationUpdate,
  billingVerificationSignal,
  cancelApplicationUpdate,
  openApplicationUpdate,
  choosePartnershipUpdate,
  confirmCompanyUpdate,
  recordVideoProgressUpdate,
  rejectApplicationUpdate,
  submitApplicationUpdate,
  submitBillingAccountUpdate,
  type ApplicationState,
  type ApproveApplicationInput,
  type BillingAccountInput,
  type BillingVerificationResult,
  type CancelApplicationInput,
  type ChoosePartnershipInput,
  type ConfirmCompanyInput,
  type RejectApplicationInput,
  type SubmitApplicationInput,
  type VideoProgressInput,
  type OnboardingOutcome,
  type StartOnboardingInput,
} from './partner-onboarding.contracts';

const db = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['DomainError', 'BillingAccountLocked', 'RegistryResponseError'],
  },
});

/** Registry look-ups answer an applicant who is waiting: retry briefly, then say so. */
const registry = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: ['RegistryResponseError'],
  },
});

const notifications = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

const DAY_MS = 24 * 60 * 60 * 1000;

function invalid(problems: Problem[]): never {
  throw ApplicationFailure.create({
    type: ONBOARDING_FAILURES.validation,
    message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    details: [problems, { reason: 'validation_failed' }],
    nonRetryable: true,
  });
}

/** `details[1]` is the stable reason the API passes to the caller. */
function wrongState(message: string, reason: ProblemReason): never {
  throw ApplicationFailure.create({
    type: ONBOARDING_FAILURES.invalidState,
    message,
    details: [[], reason],
    nonRetryable: true,
  });
}

const NEXT_ACTION: Record<OnboardingStep, string> = {
  start: 'Start the application',
  sign_in: 'Sign in',
  application: 'Enter contact details and choose a billing account or enter the company INN',
  partnership_type: 'Watch the information video, then choose the partnership type',
  billing_account: 'Create the billing account',
  manager_review: 'A partner manager reviews the application',
  decision: 'Decided',
};

/**
 * Onboarding from release 2 on (patched): handlers wait their turn instead of being refused
 * as busy, the applicant's changes reach the state only after their look-ups succeed, the
 * review SLA comes from an activity, and the run keeps its search attributes current. Runs
 * started before it replay the release-1 behaviour.
 */
export const ONBOARDING_V2_PATCH = 'onboarding-serialized-handlers-sla-activity';

/**
 * Runs update handlers one at a time, in arrival order as far as the SDK resumes them: a
 * waiting handler takes its turn only when the running one has finished.
 */
class HandlerQueue {
  busy = false;

  async run<T>(work: () => Promise<T>): Promise<T> {
    // Several waiters may be woken in one pass; the first to resume takes the turn.
    while (this.busy) await condition(() => !this.busy);
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }
}

/** The application's state and the steps that change it, for one run of the workflow. */
class Application {
  readonly state: ApplicationState;
  readonly queue = new HandlerQueue();
  lastApplicantActivityMs: number;
  verification: BillingVerificationResult | null = null;
  readonly deliveries: Promise<unknown>[] = [];
  private notificationSeq = 0;
  private readonly recipients: { managers: string; supervisors: string };

  constructor(
    readonly input: StartOnboardingInput,
    /** Release 2 behaviour (see ONBOARDING_V2_PATCH). */
    readonly v2: boolean,
  ) {
    this.recipients = input.recipients ?? {
      managers: 'partner-managers',
      supervisors: 'partner-supervisors',
    };
    this.lastApplicantActivityMs = Date.parse(input.startedAt);
    this.state = {
      applicationId: input.applicationId,
      organizationId: input.organizationId,
      identityMethod: input.identityMethod,
      status: 'draft',
      step: 'application',
      nextAction: NEXT_ACTION.application,
      startedAt: input.startedAt,
      recorded: false,
      expiresAt: new Date(this.lastApplicantActivityMs + INACTIVITY_MS).toISOString(),
      contact: null,
      company: null,
      companyConfirmed: false,
      videoWatched: false,
      programs: [],
      taxationType: null,
      questionnaire: null,
      bankDetails: null,
      billingAccount: null,
      review: null,
      decision: null,
      history: [
        { at: input.startedAt, actor: input.startedBy, action: 'started', from: null, to: 'draft' },
      ],
    };
  }

  applicantActed(): void {
    this.lastApplicantActivityMs = Date.now();
    this.state.expiresAt =
      this.state.status === 'draft'
        ? new Date(this.lastApplicantActivityMs + INACTIVITY_MS).toISOString()
        : null;
  }

  moveTo(step: OnboardingStep): void {
    this.state.step = step;
    this.state.nextAction = NEXT_ACTION[step];
  }

  /** Records a transition (status and/or step) with its audit event, in the workflow and the database. */
  async transition(
    to: ApplicationStatus,
    actor: string,
    action: string,
    changes?: ApplicationChangesInput,
  ): Promise<void> {
    const state = this.state;
    const from = state.status;
    const at = nowIso();
    state.status = to;
    state.history.push({ at, actor, action, from, to });
    if (to !== 'draft') state.expiresAt = null;
    if (this.v2 && from !== to) upsertSearchAttributes([{ key: APPLICATION_STATUS, value: to }]);
    await db.recordApplicationEvent({
      applicationId: state.applicationId,
      sequence: state.history.length,
      actor,
      action,
      from,
      to,
      step: state.step,
      at,
      changes,
    });
  }

  /** Stores a notification and posts it to the webhook without holding up the application. */
  async notify(
    kind: string,
    recipientType: 'applicant' | 'manager' | 'supervisor',
    subject: string,
    body: string,
  ): Promise<void> {
    const state = this.state;
    this.notificationSeq += 1;
    const recipient =
      recipientType === 'applicant'
        ? `organization:${state.organizationId}`
        : recipientType === 'manager'
          ? this.recipients.managers
          : this.recipients.supervisors;
    const { notificationId } = await notifications.storeNotification({
      key: `application:${state.applicationId}:notification:${this.notificationSeq}:${kind}`,
      recipientType,
      recipient,
      organizationId: state.organizationId,
      kind,
      subject,
      body,
      payload: { applicationId: state.applicationId, status: state.status, step: state.step },
    });
    this.deliveries.push(
      notifications.deliverNotification({ notificationId }).catch(() => undefined),
    );
  }

  async submitForReview(actor: string): Promise<void> {
    const state = this.state;
    const submittedAt = nowIso();
    // Release 2 asks an activity: the calendar's data never decides what a run replays.
    const sla = this.v2 ? await db.computeReviewSla({ submittedAt }) : reviewSla(submittedAt);
    state.review = {
      submittedAt,
      lastReviewDay: sla.lastReviewDay,
      reminderAt: sla.reminderAt,
      deadline: sla.deadline,
      remindedAt: null,
      escalatedAt: null,
    };
    this.moveTo('manager_review');
    await this.transition('in_review', actor, 'submitted for review', {
      submittedAt,
      reviewDeadline: sla.deadline,
      reminderAt: sla.reminderAt,
    });
    await this.notify(
      'review-requested',
      'manager',
      `New partner application from ${state.company?.name ?? state.organizationId}`,
      `Review by ${sla.deadline} (7 business days, last review day ${sla.lastReviewDay}).`,
    );
  }

  /**
   * An update's validator: input checks always; state checks now unless a change is in
   * progress, in which case the handler makes them when its turn comes (release 2) or the
   * update is refused as busy (release 1).
   */
  validator<A>(stateCheck: (arg: A) => void, inputCheck: (arg: A) => void = () => undefined) {
    return (arg: A): void => {
      if (isFinal(this.state.status))
        wrongState(`The application is already ${this.state.status}`, {
          reason: 'application_already_decided',
          params: { status: this.state.status },
        });
      if (this.queue.busy && !this.v2) {
        wrongState('Another change to this application is in progress; try again', {
          reason: 'application_busy',
        });
      }
      if (!this.queue.busy) stateCheck(arg);
      inputCheck(arg);
    };
  }

  /**
   * Runs an update's handler on its own: release 2 waits for its turn and checks the state
   * again first; release 1 handlers never overlap, their validators refuse while busy.
   */
  exclusive<A>(stateCheck: (arg: A) => void, run: (arg: A) => Promise<void>) {
    return (arg: A): Promise<ApplicationState> =>
      this.queue.run(async () => {
        if (this.v2) {
          if (isFinal(this.state.status)) {
            wrongState(`The application is already ${this.state.status}`, {
              reason: 'application_already_decided',
              params: { status: this.state.status },
            });
          }
          stateCheck(arg);
        }
        await run(arg);
        return this.state;
      });
  }

  requireApplicantTurn(step: OnboardingStep): void {
    const state = this.state;
    if (state.step !== step || state.status !== 'draft') {
      wrongState(
        `This can be done at the step "${step}"; the application is at "${state.step}" (${state.status})`,
        {
          reason: 'application_wrong_step',
          params: { step, current: state.step, status: state.status },
        },
      );
    }
  }
}

const INACTIVITY_MS = APPLICANT_INACTIVITY_DAYS * DAY_MS;
const nowIso = () => new Date().toISOString();

/**
 * One durable workflow per partner application (SPEC §1): the applicant's steps are
 * updates (validated before they enter history, run one at a time), the billing verification
 * is a signal, the state is a query; the API starts it with the `openApplication` update and
 * answers once the application is stored. The manager's SLA runs on the production calendar;
 * nothing is ever approved automatically.
 */
export async function partnerOnboardingWorkflow(
  input: StartOnboardingInput,
): Promise<OnboardingOutcome> {
  const v2 = patched(ONBOARDING_V2_PATCH);
  const app = new Application(input, v2);
  const state = app.state;
  if (v2) {
    upsertSearchAttributes([
      { key: PARTNER_ORGANIZATION_ID, value: input.organizationId },
      { key: APPLICATION_STATUS, value: state.status },
    ]);
  }
  registerHandlers(app);

  // ---- the main line -----------------------------------------------------------------------

  await db.recordApplication({ ...input, status: state.status, step: state.step });
  state.recorded = true;

  while (!isFinal(state.status)) {
    if (state.status === 'draft') {
      // The applicant's turn: expires after 30 days without activity.
      const seenActivity = app.lastApplicantActivityMs;
      const remaining = app.lastApplicantActivityMs + INACTIVITY_MS - Date.now();
      const moved = await condition(
        () => state.status !== 'draft' || app.lastApplicantActivityMs !== seenActivity,
        Math.max(remaining, 1),
      );
      if (!moved && app.queue.busy) {
        await condition(() => !app.queue.busy);
        continue;
      }
      if (!moved && Date.now() >= app.lastApplicantActivityMs + INACTIVITY_MS) {
        state.nextAction = 'Expired after 30 days without activity';
        await app.transition(
          'expired',
          'system',
          'expired after 30 days without applicant activity',
        );
        await app.notify(
          'application-expired',
          'applicant',
          'Your partner application expired',
          '',
        );
      }
    } else if (state.status === 'awaiting_billing_verification') {
      const arrived = await condition(
        () => app.verification !== null || state.status !== 'awaiting_billing_verification',
        BILLING_VERIFICATION_REMINDER_DAYS * DAY_MS,
      );
      if (!arrived) {
        await app.notify(
          'billing-verification-pending',
          'applicant',
          'Your billing account is still being verified',
          'We will let you know as soon as the check is complete.',
        );
        continue;
      }
      const result = app.verification;
      const account = state.billingAccount;
      if (!result || !account || state.status !== 'awaiting_billing_verification') continue;
      app.verification = null;
      await db.recordBillingVerification({
        billingAccountId: account.id,
        result: result.result,
        reason: result.reason ?? null,
      });
      if (result.result === 'approved') {
        account.verification = 'approved';
        await db.upgradeBillingAccount({ billingAccountId: account.id, at: nowIso() });
        account.upgradedToPaid = true;
        await app.submitForReview('billing-system');
      } else {
        account.verification = 'rejected';
        account.rejectionReason = result.reason ?? 'no reason given';
        app.moveTo('billing_account');
        state.nextAction = `Correct the billing account: ${account.rejectionReason}`;
        await app.transition(
          'draft',
          'billing-system',
          `billing verification failed: ${account.rejectionReason}`,
        );
        app.applicantActed();
        await app.notify(
          'billing-verification-failed',
          'applicant',
          'Your billing account could not be verified',
          account.rejectionReason,
        );
      }
    } else if (state.status === 'in_review') {
      const review = state.review;
      if (!review) break;
      const decided = () => state.status !== 'in_review';
      if (!review.remindedAt) {
        if (!(await condition(decided, Math.max(Date.parse(review.reminderAt) - Date.now(), 1)))) {
          review.remindedAt = nowIso();
          await app.notify(
            'review-reminder',
            'manager',
            `Application of ${state.company?.name ?? state.organizationId} is due tomorrow`,
            `The review deadline is ${review.deadline}.`,
          );
        }
        continue;
      }
      if (!review.escalatedAt) {
        if (!(await condition(decided, Math.max(Date.parse(review.deadline) - Date.now(), 1)))) {
          review.escalatedAt = nowIso();
          await app.transition('in_review', 'system', 'escalated: review deadline passed', {
            escalatedAt: review.escalatedAt,
          });
          await app.notify(
            'review-escalated',
            'supervisor',
            `Review SLA breached: ${state.company?.name ?? state.organizationId}`,
            `The deadline ${review.deadline} passed without a decision.`,
          );
        }
        continue;
      }
      // Past the deadline the application waits for a manager, however long: never auto-approved.
      await condition(decided);
    }
  }

  await condition(allHandlersFinished);
  await Promise.all(app.deliveries);
  return {
    applicationId: state.applicationId,
    status: state.status,
    partnerId: state.decision?.partnerId ?? null,
  };
}

/** Queries, signals and updates of one application. */
function registerHandlers(app: Application): void {
  const { state, input, v2 } = app;

  setHandler(applicationStateQuery, () => state);

  setHandler(
    openApplicationUpdate,
    async () => {
      await condition(() => state.recorded);
      return state;
    },
    {
      validator: (_request: StartOnboardingInput) => {
        if (isFinal(state.status)) {
          // Decided, finishing its last notifications: the caller waits for this run to close.
          throw ApplicationFailure.create({
            type: ONBOARDING_FAILURES.previousApplicationFinishing,
            message: `The previous application ${state.applicationId} is ${state.status} and finishing`,
            details: [state.applicationId],
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(billingVerificationSignal, (result) => {
    if (
      state.billingAccount?.id === result.billingAccountId &&
      state.billingAccount.verification === 'pending'
    ) {
      app.verification = result;
    }
  });

  const submitApplicationTurn = (_arg: SubmitApplicationInput) => {
    app.requireApplicantTurn('application');
    if (state.billingAccount) {
      wrongState('The billing account has been chosen and cannot be changed', {
        reason: 'billing_account_chosen',
      });
    }
  };
  setHandler(
    submitApplicationUpdate,
    app.exclusive(submitApplicationTurn, async ({ actor, contact, company }) => {
      // Release 2: the application changes only once the look-ups have succeeded.
      const acted = () => {
        app.applicantActed();
        state.contact = contact;
      };
      if (!v2) acted();
      if ('billingAccountId' in company) {
        const account = await db.loadBillingAccount({
          billingAccountId: company.billingAccountId,
        });
        if (!account) {
          invalid([
            {
              field: 'company.billingAccountId',
              message: 'no such billing account',
              code: 'unknown_billing_account',
              params: { billingAccountId: company.billingAccountId },
            },
          ]);
        }
        const problems = billingAccountProblems(account, {
          organizationId: state.organizationId,
          applicationId: state.applicationId,
        });
        if (problems.length) invalid(problems);
        if (!account.inn)
          invalid([
            {
              field: 'company.billingAccountId',
              message: 'the account has no company INN',
              code: 'account_without_inn',
            },
          ]);
        const card = await registry.lookupCompany({ inn: account.inn });
        if (!card)
          invalid([
            {
              field: 'company.billingAccountId',
              message: `INN ${account.inn} is not in the company registry`,
              code: 'not_in_registry',
            },
          ]);
        const refusal = companyRefusal(card);
        if (refusal)
          invalid([
            { field: 'company.billingAccountId', message: refusal, code: 'company_not_active' },
          ]);
        await db.lockBillingAccount({
          billingAccountId: account.id,
          applicationId: state.applicationId,
        });
        if (v2) acted();
        state.company = card;
        state.companyConfirmed = true;
        state.bankDetails = account.bankDetails;
        state.billingAccount = {
          id: account.id,
          source: 'existing',
          verification: 'approved',
          rejectionReason: null,
          upgradedToPaid: false,
        };
        app.moveTo('partnership_type');
      } else {
        const card = await registry.lookupCompany({ inn: company.inn });
        if (!card)
          invalid([
            {
              field: 'company.inn',
              message: 'no company with this INN in the state registry',
              code: 'not_in_registry',
            },
          ]);
        const refusal = companyRefusal(card);
        if (refusal)
          invalid([{ field: 'company.inn', message: refusal, code: 'company_not_active' }]);
        if (v2) acted();
        state.company = card;
        state.companyConfirmed = false;
        state.nextAction = 'Confirm the company card from the registry';
      }
      await app.transition('draft', actor, 'application submitted', {
        contactName: contact.name,
        contactEmail: contact.email,
        contactPhone: contact.phone,
        companyInn: state.company.inn,
        companyName: state.company.name,
        billingAccountId: state.billingAccount?.id ?? null,
        details: { company: state.company },
      });
    }),
    {
      validator: app.validator(submitApplicationTurn, ({ contact, company }) => {
        const problems = contactProblems(contact);
        if ('inn' in company) {
          const check = validateInn(company.inn);
          if (!check.ok) {
            problems.push({
              field: 'company.inn',
              message: check.reason,
              ...checkReasonCode(check.reason),
            });
          }
        }
        if (problems.length) invalid(problems);
      }),
    },
  );

  const confirmCompanyTurn = (_arg: ConfirmCompanyInput) => {
    app.requireApplicantTurn('application');
    if (!state.company || state.companyConfirmed)
      wrongState('There is no company card to confirm', { reason: 'no_company_card' });
  };
  setHandler(
    confirmCompanyUpdate,
    app.exclusive(confirmCompanyTurn, async ({ actor, confirmed }) => {
      app.applicantActed();
      if (confirmed) {
        state.companyConfirmed = true;
        app.moveTo('partnership_type');
        await app.transition('draft', actor, 'company confirmed');
      } else {
        state.company = null;
        app.moveTo('application');
        await app.transition('draft', actor, 'company card declined', {
          companyInn: null,
          companyName: null,
        });
      }
    }),
    { validator: app.validator(confirmCompanyTurn) },
  );

  const videoTurn = (_arg: VideoProgressInput) => app.requireApplicantTurn('partnership_type');
  setHandler(
    recordVideoProgressUpdate,
    app.exclusive(videoTurn, async ({ actor, positionSeconds, durationSeconds }) => {
      app.applicantActed();
      if (!state.videoWatched && videoWatchedToEnd(positionSeconds, durationSeconds)) {
        state.videoWatched = true;
        await app.transition('draft', actor, 'information video watched');
      }
    }),
    {
      validator: app.validator(videoTurn, ({ positionSeconds, durationSeconds }) => {
        if (
          !(durationSeconds > 0) ||
          positionSeconds < 0 ||
          positionSeconds > durationSeconds + 1
        ) {
          invalid([
            {
              field: 'positionSeconds',
              message: 'must lie between 0 and the video duration',
              code: 'out_of_range',
            },
          ]);
        }
      }),
    },
  );

  /** The partnership rules depend on the state (video watched, bank details given). */
  const partnershipTurn = ({
    programs,
    bankDetails,
    taxationType,
    questionnaire,
  }: ChoosePartnershipInput) => {
    app.requireApplicantTurn('partnership_type');
    const problems = partnershipProblems({
      videoWatched: state.videoWatched,
      programs,
      referralProgramOpen: input.referralProgramOpen,
      hasBankDetails: Boolean(bankDetails ?? state.bankDetails),
      taxationType,
      questionnaire,
    });
    if (bankDetails) {
      for (const p of validateBankDetails(bankDetails)) {
        problems.push({
          field: `bankDetails.${p.field}`,
          message: p.message,
          ...checkReasonCode(p.message),
        });
      }
    }
    if (problems.length) invalid(problems);
  };
  setHandler(
    choosePartnershipUpdate,
    app.exclusive(
      partnershipTurn,
      async ({ actor, programs, taxationType, questionnaire, bankDetails }) => {
        app.applicantActed();
        state.programs = programs;
        state.taxationType = taxationType;
        state.questionnaire = questionnaire;
        if (bankDetails) state.bankDetails = bankDetails;
        const existing = state.billingAccount?.source === 'existing';
        app.moveTo(existing ? 'manager_review' : 'billing_account');
        await app.transition('draft', actor, `partnership chosen: ${programs.join(' + ')}`, {
          programs,
          taxationType,
          details: { company: state.company, questionnaire, bankDetails: state.bankDetails },
        });
        if (existing) await app.submitForReview(actor);
      },
    ),
    { validator: app.validator(partnershipTurn) },
  );

  const billingAccountTurn = ({ type }: BillingAccountInput) => {
    app.requireApplicantTurn('billing_account');
    if (state.company && (type === 'business') !== (state.company.kind === 'legal_entity')) {
      invalid([
        {
          field: 'type',
          message:
            state.company.kind === 'legal_entity'
              ? 'a legal entity needs a business account'
              : 'an individual entrepreneur needs an individual_entrepreneur account',
        },
      ]);
    }
  };
  setHandler(
    submitBillingAccountUpdate,
    app.exclusive(billingAccountTurn, async ({ actor, name, type, contact }) => {
      if (!v2) app.applicantActed();
      const company = state.company;
      const accountContact = contact ?? state.contact;
      if (!company || !accountContact)
        wrongState('Company and contact details come first', {
          reason: 'company_details_first',
        });
      const { billingAccountId } = await db.submitBillingAccount({
        applicationId: state.applicationId,
        organizationId: state.organizationId,
        name,
        type,
        company,
        contact: accountContact,
        bankDetails: state.bankDetails,
      });
      if (v2) app.applicantActed();
      state.billingAccount = {
        id: billingAccountId,
        source: 'created',
        verification: 'pending',
        rejectionReason: null,
        upgradedToPaid: false,
      };
      app.verification = null;
      state.nextAction = 'Wait for the billing verification (it takes a few days)';
      await app.transition(
        'awaiting_billing_verification',
        actor,
        'billing account submitted for verification',
        { billingAccountId },
      );
    }),
    {
      validator: app.validator(billingAccountTurn, ({ name, contact }) => {
        const problems = contact ? contactProblems(contact) : [];
        if (!name.trim())
          problems.push({ field: 'name', message: 'must not be empty', code: 'required' });
        if (problems.length) invalid(problems);
      }),
    },
  );

  setHandler(
    cancelApplicationUpdate,
    app.exclusive(
      (_arg: CancelApplicationInput) => undefined,
      async ({ actor, reason }) => {
        app.moveTo(state.step);
        state.nextAction = 'Cancelled by the applicant';
        await app.transition('cancelled', actor, reason ? `cancelled: ${reason}` : 'cancelled', {
          decisionReason: reason ?? null,
        });
        await app.notify(
          'application-cancelled',
          'applicant',
          'Your partner application was cancelled',
          reason ?? '',
        );
      },
    ),
    { validator: app.validator((_arg: CancelApplicationInput) => undefined) },
  );

  const inReview = (verb: string) => (_arg: unknown) => {
    if (state.status !== 'in_review') {
      wrongState(`Only an application in review can be ${verb}; this one is ${state.status}`, {
        reason: 'application_not_in_review',
        params: { status: state.status },
      });
    }
  };
  setHandler(
    approveApplicationUpdate,
    app.exclusive<ApproveApplicationInput>(inReview('approved'), async ({ actor, startDate }) => {
      const company = state.company;
      const account = state.billingAccount;
      const taxationType = state.taxationType;
      if (!company || !account || !taxationType)
        wrongState('The application is incomplete', { reason: 'application_incomplete' });
      const decidedAt = nowIso();
      const start = startDate ?? moscowDateOf(decidedAt);
      const { partnerId } = await db.createPartner({
        applicationId: state.applicationId,
        organizationId: state.organizationId,
        name: company.name,
        inn: company.inn,
        billingAccountId: account.id,
        taxationType,
        programs: state.programs,
        startDate: start,
        approvedBy: actor,
      });
      state.decision = {
        outcome: 'approved',
        by: actor,
        at: decidedAt,
        reason: null,
        partnerId,
        startDate: start,
      };
      app.moveTo('decision');
      state.nextAction = 'Partner status granted: the partner portal is open';
      if (v2) upsertSearchAttributes([{ key: PARTNER_ID, value: partnerId }]);
      await app.transition('approved', actor, 'approved', { decidedAt, decidedBy: actor });
      await app.notify(
        'application-approved',
        'applicant',
        'Welcome to the partner program',
        `Partner status granted from ${start} for ${state.programs.join(' and ')}.`,
      );
    }),
    {
      validator: app.validator<ApproveApplicationInput>(inReview('approved'), ({ startDate }) => {
        if (startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) {
          invalid([
            {
              field: 'startDate',
              message: 'must be a date YYYY-MM-DD',
              code: 'invalid_format',
              params: { format: 'date' },
            },
          ]);
        }
      }),
    },
  );

  setHandler(
    rejectApplicationUpdate,
    app.exclusive<RejectApplicationInput>(inReview('rejected'), async ({ actor, reason }) => {
      const decidedAt = nowIso();
      state.decision = {
        outcome: 'rejected',
        by: actor,
        at: decidedAt,
        reason,
        partnerId: null,
        startDate: null,
      };
      app.moveTo('decision');
      state.nextAction = 'Rejected';
      await app.transition('rejected', actor, 'rejected', {
        decidedAt,
        decidedBy: actor,
        decisionReason: reason,
      });
      await app.notify(
        'application-rejected',
        'applicant',
        'Your partner application was rejected',
        reason,
      );
    }),
    {
      validator: app.validator<RejectApplicationInput>(inReview('rejected'), ({ reason }) => {
        if (!reason.trim())
          invalid([{ field: 'reason', message: 'give the applicant a reason', code: 'required' }]);
      }),
    },
  );
}
