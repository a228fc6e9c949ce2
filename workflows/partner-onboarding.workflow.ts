import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
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
import {
  NOTIFICATION_ACTIVITY_OPTIONS,
  type NotificationActivities,
} from '../activities/notifications/notification.activities';
import {
  ONBOARDING_FAILURES,
  applicationStateQuery,
  approveApplicationUpdate,
  billingVerificationSignal,
  cancelApplicationUpdate,
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
  type ChoosePartnershipInput,
  type RejectApplicationInput,
  type SubmitApplicationInput,
  type VideoProgressInput,
  type OnboardingOutcome,
  type StartOnboardingInput,
} from './contracts';

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
    details: [problems],
    nonRetryable: true,
  });
}

function wrongState(message: string): never {
  throw ApplicationFailure.create({
    type: ONBOARDING_FAILURES.invalidState,
    message,
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
 * One durable workflow per partner application (SPEC §1): the applicant's steps are
 * updates (validated before they enter history), the billing verification is a signal, the
 * state is a query. The manager's SLA runs on the production calendar; nothing is ever
 * approved automatically.
 */
export async function partnerOnboardingWorkflow(
  input: StartOnboardingInput,
): Promise<OnboardingOutcome> {
  const recipients = input.recipients ?? {
    managers: 'partner-managers',
    supervisors: 'partner-supervisors',
  };
  const inactivityMs = APPLICANT_INACTIVITY_DAYS * DAY_MS;
  let lastApplicantActivityMs = Date.parse(input.startedAt);
  /** True while an update's handler is running, so a second one cannot interleave. */
  let busy = false;
  let verification: BillingVerificationResult | null = null;
  let notificationSeq = 0;
  const deliveries: Promise<unknown>[] = [];

  const state: ApplicationState = {
    applicationId: input.applicationId,
    organizationId: input.organizationId,
    identityMethod: input.identityMethod,
    status: 'draft',
    step: 'application',
    nextAction: NEXT_ACTION.application,
    startedAt: input.startedAt,
    recorded: false,
    expiresAt: new Date(lastApplicantActivityMs + inactivityMs).toISOString(),
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

  const nowIso = () => new Date().toISOString();

  function applicantActed(): void {
    lastApplicantActivityMs = Date.now();
    state.expiresAt =
      state.status === 'draft'
        ? new Date(lastApplicantActivityMs + inactivityMs).toISOString()
        : null;
  }

  function moveTo(step: OnboardingStep): void {
    state.step = step;
    state.nextAction = NEXT_ACTION[step];
  }

  /** Records a transition (status and/or step) with its audit event, in the workflow and the database. */
  async function transition(
    to: ApplicationStatus,
    actor: string,
    action: string,
    changes?: ApplicationChangesInput,
  ): Promise<void> {
    const from = state.status;
    const at = nowIso();
    state.status = to;
    state.history.push({ at, actor, action, from, to });
    if (to !== 'draft') state.expiresAt = null;
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
  async function notify(
    kind: string,
    recipientType: 'applicant' | 'manager' | 'supervisor',
    subject: string,
    body: string,
  ): Promise<void> {
    notificationSeq += 1;
    const recipient =
      recipientType === 'applicant'
        ? `organization:${state.organizationId}`
        : recipientType === 'manager'
          ? recipients.managers
          : recipients.supervisors;
    const { notificationId } = await notifications.storeNotification({
      key: `application:${state.applicationId}:notification:${notificationSeq}:${kind}`,
      recipientType,
      recipient,
      organizationId: state.organizationId,
      kind,
      subject,
      body,
      payload: { applicationId: state.applicationId, status: state.status, step: state.step },
    });
    deliveries.push(notifications.deliverNotification({ notificationId }).catch(() => undefined));
  }

  /** Runs an update's handler exclusively; a concurrent update is refused by the validators. */
  async function exclusive(run: () => Promise<void>): Promise<ApplicationState> {
    busy = true;
    try {
      await run();
      return state;
    } finally {
      busy = false;
    }
  }

  function requireApplicantTurn(step: OnboardingStep): void {
    if (isFinal(state.status)) wrongState(`The application is already ${state.status}`);
    if (busy) wrongState('Another change to this application is in progress; try again');
    if (state.step !== step || state.status !== 'draft') {
      wrongState(
        `This can be done at the step "${step}"; the application is at "${state.step}" (${state.status})`,
      );
    }
  }

  async function submitForReview(actor: string): Promise<void> {
    const submittedAt = nowIso();
    const sla = reviewSla(submittedAt);
    state.review = {
      submittedAt,
      lastReviewDay: sla.lastReviewDay,
      reminderAt: sla.reminderAt,
      deadline: sla.deadline,
      remindedAt: null,
      escalatedAt: null,
    };
    moveTo('manager_review');
    await transition('in_review', actor, 'submitted for review', {
      submittedAt,
      reviewDeadline: sla.deadline,
      reminderAt: sla.reminderAt,
    });
    await notify(
      'review-requested',
      'manager',
      `New partner application from ${state.company?.name ?? state.organizationId}`,
      `Review by ${sla.deadline} (7 business days, last review day ${sla.lastReviewDay}).`,
    );
  }

  // ---- queries, signals and updates ------------------------------------------------------

  setHandler(applicationStateQuery, () => state);

  setHandler(billingVerificationSignal, (result) => {
    if (
      state.billingAccount?.id === result.billingAccountId &&
      state.billingAccount.verification === 'pending'
    ) {
      verification = result;
    }
  });

  setHandler(
    submitApplicationUpdate,
    ({ actor, contact, company }) =>
      exclusive(async () => {
        applicantActed();
        state.contact = contact;
        if ('billingAccountId' in company) {
          const account = await db.loadBillingAccount({
            billingAccountId: company.billingAccountId,
          });
          if (!account) {
            invalid([{ field: 'company.billingAccountId', message: 'no such billing account' }]);
          }
          const problems = billingAccountProblems(account, {
            organizationId: state.organizationId,
            applicationId: state.applicationId,
          });
          if (problems.length) invalid(problems);
          if (!account.inn)
            invalid([
              { field: 'company.billingAccountId', message: 'the account has no company INN' },
            ]);
          const card = await registry.lookupCompany({ inn: account.inn });
          if (!card)
            invalid([
              {
                field: 'company.billingAccountId',
                message: `INN ${account.inn} is not in the company registry`,
              },
            ]);
          const refusal = companyRefusal(card);
          if (refusal) invalid([{ field: 'company.billingAccountId', message: refusal }]);
          await db.lockBillingAccount({
            billingAccountId: account.id,
            applicationId: state.applicationId,
          });
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
          moveTo('partnership_type');
        } else {
          const card = await registry.lookupCompany({ inn: company.inn });
          if (!card)
            invalid([
              { field: 'company.inn', message: 'no company with this INN in the state registry' },
            ]);
          const refusal = companyRefusal(card);
          if (refusal) invalid([{ field: 'company.inn', message: refusal }]);
          state.company = card;
          state.companyConfirmed = false;
          state.nextAction = 'Confirm the company card from the registry';
        }
        await transition('draft', actor, 'application submitted', {
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
      validator: ({ contact, company }: SubmitApplicationInput) => {
        requireApplicantTurn('application');
        if (state.billingAccount) {
          wrongState('The billing account has been chosen and cannot be changed');
        }
        const problems = contactProblems(contact);
        if ('inn' in company) {
          const check = validateInn(company.inn);
          if (!check.ok) problems.push({ field: 'company.inn', message: check.reason });
        }
        if (problems.length) invalid(problems);
      },
    },
  );

  setHandler(
    confirmCompanyUpdate,
    ({ actor, confirmed }) =>
      exclusive(async () => {
        applicantActed();
        if (confirmed) {
          state.companyConfirmed = true;
          moveTo('partnership_type');
          await transition('draft', actor, 'company confirmed');
        } else {
          state.company = null;
          moveTo('application');
          await transition('draft', actor, 'company card declined', {
            companyInn: null,
            companyName: null,
          });
        }
      }),
    {
      validator: (_input) => {
        requireApplicantTurn('application');
        if (!state.company || state.companyConfirmed)
          wrongState('There is no company card to confirm');
      },
    },
  );

  setHandler(
    recordVideoProgressUpdate,
    ({ actor, positionSeconds, durationSeconds }) =>
      exclusive(async () => {
        applicantActed();
        if (!state.videoWatched && videoWatchedToEnd(positionSeconds, durationSeconds)) {
          state.videoWatched = true;
          await transition('draft', actor, 'information video watched');
        }
      }),
    {
      validator: ({ positionSeconds, durationSeconds }: VideoProgressInput) => {
        requireApplicantTurn('partnership_type');
        if (
          !(durationSeconds > 0) ||
          positionSeconds < 0 ||
          positionSeconds > durationSeconds + 1
        ) {
          invalid([
            { field: 'positionSeconds', message: 'must lie between 0 and the video duration' },
          ]);
        }
      },
    },
  );

  setHandler(
    choosePartnershipUpdate,
    ({ actor, programs, taxationType, questionnaire, bankDetails }) =>
      exclusive(async () => {
        applicantActed();
        state.programs = programs;
        state.taxationType = taxationType;
        state.questionnaire = questionnaire;
        if (bankDetails) state.bankDetails = bankDetails;
        const existing = state.billingAccount?.source === 'existing';
        moveTo(existing ? 'manager_review' : 'billing_account');
        await transition('draft', actor, `partnership chosen: ${programs.join(' + ')}`, {
          programs,
          taxationType,
          details: { company: state.company, questionnaire, bankDetails: state.bankDetails },
        });
        if (existing) await submitForReview(actor);
      }),
    {
      validator: ({
        programs,
        bankDetails,
        taxationType,
        questionnaire,
      }: ChoosePartnershipInput) => {
        requireApplicantTurn('partnership_type');
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
            problems.push({ field: `bankDetails.${p.field}`, message: p.message });
          }
        }
        if (problems.length) invalid(problems);
      },
    },
  );

  setHandler(
    submitBillingAccountUpdate,
    ({ actor, name, type, contact }) =>
      exclusive(async () => {
        applicantActed();
        const company = state.company;
        const accountContact = contact ?? state.contact;
        if (!company || !accountContact) wrongState('Company and contact details come first');
        const { billingAccountId } = await db.submitBillingAccount({
          applicationId: state.applicationId,
          organizationId: state.organizationId,
          name,
          type,
          company,
          contact: accountContact,
          bankDetails: state.bankDetails,
        });
        state.billingAccount = {
          id: billingAccountId,
          source: 'created',
          verification: 'pending',
          rejectionReason: null,
          upgradedToPaid: false,
        };
        verification = null;
        state.nextAction = 'Wait for the billing verification (it takes a few days)';
        await transition(
          'awaiting_billing_verification',
          actor,
          'billing account submitted for verification',
          {
            billingAccountId,
          },
        );
      }),
    {
      validator: ({ type, name, contact }: BillingAccountInput) => {
        requireApplicantTurn('billing_account');
        const problems = contact ? contactProblems(contact) : [];
        if (!name.trim()) problems.push({ field: 'name', message: 'must not be empty' });
        if (problems.length) invalid(problems);
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
      },
    },
  );

  setHandler(
    cancelApplicationUpdate,
    ({ actor, reason }) =>
      exclusive(async () => {
        moveTo(state.step);
        state.nextAction = 'Cancelled by the applicant';
        await transition('cancelled', actor, reason ? `cancelled: ${reason}` : 'cancelled', {
          decisionReason: reason ?? null,
        });
        await notify(
          'application-cancelled',
          'applicant',
          'Your partner application was cancelled',
          reason ?? '',
        );
      }),
    {
      validator: (_input) => {
        if (isFinal(state.status)) wrongState(`The application is already ${state.status}`);
        if (busy) wrongState('Another change to this application is in progress; try again');
      },
    },
  );

  setHandler(
    approveApplicationUpdate,
    ({ actor, startDate }) =>
      exclusive(async () => {
        const company = state.company;
        const account = state.billingAccount;
        const taxationType = state.taxationType;
        if (!company || !account || !taxationType) wrongState('The application is incomplete');
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
        moveTo('decision');
        state.nextAction = 'Partner status granted: the partner portal is open';
        await transition('approved', actor, 'approved', { decidedAt, decidedBy: actor });
        await notify(
          'application-approved',
          'applicant',
          'Welcome to the partner program',
          `Partner status granted from ${start} for ${state.programs.join(' and ')}.`,
        );
      }),
    {
      validator: ({ startDate }: ApproveApplicationInput) => {
        if (state.status !== 'in_review')
          wrongState(`Only an application in review can be approved; this one is ${state.status}`);
        if (busy) wrongState('Another change to this application is in progress; try again');
        if (startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) {
          invalid([{ field: 'startDate', message: 'must be a date YYYY-MM-DD' }]);
        }
      },
    },
  );

  setHandler(
    rejectApplicationUpdate,
    ({ actor, reason }) =>
      exclusive(async () => {
        const decidedAt = nowIso();
        state.decision = {
          outcome: 'rejected',
          by: actor,
          at: decidedAt,
          reason,
          partnerId: null,
          startDate: null,
        };
        moveTo('decision');
        state.nextAction = 'Rejected';
        await transition('rejected', actor, 'rejected', {
          decidedAt,
          decidedBy: actor,
          decisionReason: reason,
        });
        await notify(
          'application-rejected',
          'applicant',
          'Your partner application was rejected',
          reason,
        );
      }),
    {
      validator: ({ reason }: RejectApplicationInput) => {
        if (state.status !== 'in_review')
          wrongState(`Only an application in review can be rejected; this one is ${state.status}`);
        if (busy) wrongState('Another change to this application is in progress; try again');
        if (!reason.trim()) invalid([{ field: 'reason', message: 'give the applicant a reason' }]);
      },
    },
  );

  // ---- the main line -----------------------------------------------------------------------

  await db.recordApplication({ ...input, status: state.status, step: state.step });
  state.recorded = true;

  while (!isFinal(state.status)) {
    if (state.status === 'draft') {
      // The applicant's turn: expires after 30 days without activity.
      const seenActivity = lastApplicantActivityMs;
      const remaining = lastApplicantActivityMs + inactivityMs - Date.now();
      const moved = await condition(
        () => state.status !== 'draft' || lastApplicantActivityMs !== seenActivity,
        Math.max(remaining, 1),
      );
      if (!moved && busy) {
        await condition(() => !busy);
        continue;
      }
      if (!moved && Date.now() >= lastApplicantActivityMs + inactivityMs) {
        state.nextAction = 'Expired after 30 days without activity';
        await transition('expired', 'system', 'expired after 30 days without applicant activity');
        await notify('application-expired', 'applicant', 'Your partner application expired', '');
      }
    } else if (state.status === 'awaiting_billing_verification') {
      const arrived = await condition(
        () => verification !== null || state.status !== 'awaiting_billing_verification',
        BILLING_VERIFICATION_REMINDER_DAYS * DAY_MS,
      );
      if (!arrived) {
        await notify(
          'billing-verification-pending',
          'applicant',
          'Your billing account is still being verified',
          'We will let you know as soon as the check is complete.',
        );
        continue;
      }
      const result = verification as BillingVerificationResult | null;
      const account = state.billingAccount;
      if (!result || !account || state.status !== 'awaiting_billing_verification') continue;
      verification = null;
      await db.recordBillingVerification({
        billingAccountId: account.id,
        result: result.result,
        reason: result.reason ?? null,
      });
      if (result.result === 'approved') {
        account.verification = 'approved';
        await db.upgradeBillingAccount({ billingAccountId: account.id, at: nowIso() });
        account.upgradedToPaid = true;
        await submitForReview('billing-system');
      } else {
        account.verification = 'rejected';
        account.rejectionReason = result.reason ?? 'no reason given';
        moveTo('billing_account');
        state.nextAction = `Correct the billing account: ${account.rejectionReason}`;
        await transition(
          'draft',
          'billing-system',
          `billing verification failed: ${account.rejectionReason}`,
        );
        applicantActed();
        await notify(
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
          await notify(
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
          await transition('in_review', 'system', 'escalated: review deadline passed', {
            escalatedAt: review.escalatedAt,
          });
          await notify(
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
  await Promise.all(deliveries);
  return {
    applicationId: state.applicationId,
    status: state.status,
    partnerId: state.decision?.partnerId ?? null,
  };
}
