import type { ProblemReason } from '../domain/problem-codes';
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications/notification.activities';
import type { RegistrationActivities } from '../activities/registrations.activities';
import { moscowDateOf } from '../domain/calendar/production-calendar';
import { approvalProblems, dealEndDate, expiresAt, renewedEndDate } from '../domain/registrations';
import { NOTIFICATION_ACTIVITY_OPTIONS } from './notifications.contracts';
import {
  REGISTRATION_FAILURES,
  approveRegistrationUpdate,
  registrationStateQuery,
  rejectRegistrationUpdate,
  renewRegistrationUpdate,
  type ApproveRegistrationInput,
  type RegistrationReviewInput,
  type RejectRegistrationInput,
  type RegistrationReviewState,
} from './registration-review.contracts';
import { PARTNER_ID } from './search-attributes';

const db = proxyActivities<RegistrationActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: Object.values(REGISTRATION_FAILURES),
  },
});
const notifications = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

/** Milliseconds from the workflow's now until an ISO instant; at least 1 (a real timer). */
function until(instant: string): number {
  return Math.max(Date.parse(instant) - Date.now(), 1);
}

/** An activity's refusal, passed to the caller of the update as the failure it is. */
function unwrap(error: unknown): unknown {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    return error.cause;
  }
  return error;
}

/** `details[1]` is the stable reason the API passes to the caller. */
function refuse(message: string, reason: ProblemReason): never {
  throw ApplicationFailure.create({
    message,
    type: REGISTRATION_FAILURES.invalidState,
    details: [[], reason],
  });
}

/**
 * The review of one deal or project a partner registered. Managers have `slaBusinessDays`
 * business days: a reminder goes to them at the start of the last one, and the review is
 * escalated to the supervisors when it passes; a registration is never approved by itself.
 * An approved deal then waits for the end of its term and expires, unless the partner renews
 * it before; an approved project is done (its 12 rebate months run in the settlement).
 * Decisions arrive as updates, validated before they are accepted, one at a time.
 */
export async function registrationReviewWorkflow(
  input: RegistrationReviewInput,
): Promise<RegistrationReviewState> {
  upsertSearchAttributes([{ key: PARTNER_ID, value: input.partnerId }]);
  const state: RegistrationReviewState = {
    registrationId: input.registrationId,
    status: 'pending',
    reviewDeadline: null,
    reminderAt: null,
    remindedAt: null,
    escalatedAt: null,
    startDate: null,
    endDate: null,
  };
  /** A decision or renewal is running: the next waits for the answer rather than racing it. */
  let busy = false;
  let notificationSeq = 0;
  const deliveries: Promise<unknown>[] = [];

  async function notify(
    kind: string,
    recipientType: 'manager' | 'supervisor' | 'partner',
    subject: string,
    body: string,
  ): Promise<void> {
    notificationSeq += 1;
    const recipient =
      recipientType === 'manager'
        ? input.recipients.managers
        : recipientType === 'supervisor'
          ? input.recipients.supervisors
          : `partner:${input.partnerId}`;
    const { notificationId } = await notifications.storeNotification({
      key: `registration:${input.registrationId}:notification:${notificationSeq}:${kind}`,
      recipientType,
      recipient,
      kind,
      subject,
      body,
      payload: { registrationId: input.registrationId, status: state.status },
    });
    deliveries.push(notifications.deliverNotification({ notificationId }).catch(() => undefined));
  }

  async function serialized<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } catch (error) {
      throw unwrap(error);
    } finally {
      busy = false;
    }
  }

  setHandler(registrationStateQuery, () => state);

  setHandler(
    approveRegistrationUpdate,
    (approval) =>
      serialized(async () => {
        if (state.status !== 'pending')
          refuse(`The registration is already ${state.status}`, {
            reason: 'registration_already_decided',
            params: { status: state.status },
          });
        const decidedAt = new Date().toISOString();
        const today = moscowDateOf(decidedAt);
        const startDate =
          input.kind === 'deal' && input.requestedStart && input.requestedStart > today
            ? input.requestedStart
            : today;
        const endDate = input.kind === 'deal' ? dealEndDate(startDate, input.dealTermMonths) : null;
        const approved = await db.approveRegistration({
          registrationId: input.registrationId,
          decidedBy: approval.decidedBy,
          decidedAt,
          startDate,
          endDate,
          upliftRate: input.kind === 'deal' ? (approval.upliftRate ?? null) : null,
          rate: input.kind === 'project' ? (approval.rate ?? null) : null,
          baselineMonthly: input.kind === 'project' ? (approval.baselineMonthly ?? null) : null,
        });
        state.status = 'approved';
        state.startDate = approved.startDate;
        state.endDate = approved.endDate;
        await notify(
          'registration-approved',
          'partner',
          `Your ${input.kind} registration is approved`,
          endDate ? `Linked from ${startDate} until ${endDate}.` : `Registered on ${startDate}.`,
        );
        return { ...state };
      }),
    {
      validator: (approval: ApproveRegistrationInput) => {
        if (state.status !== 'pending')
          refuse(`The registration is already ${state.status}`, {
            reason: 'registration_already_decided',
            params: { status: state.status },
          });
        const problems = approvalProblems(input.kind, approval);
        if (problems.length > 0) {
          throw ApplicationFailure.create({
            message: `The approval breaks the program rules: ${problems
              .map((p) => `${p.field} ${p.message}`)
              .join('; ')}`,
            type: REGISTRATION_FAILURES.validation,
            details: [problems, { reason: 'approval_breaks_rules' }],
          });
        }
      },
    },
  );

  setHandler(
    rejectRegistrationUpdate,
    (rejection) =>
      serialized(async () => {
        if (state.status !== 'pending')
          refuse(`The registration is already ${state.status}`, {
            reason: 'registration_already_decided',
            params: { status: state.status },
          });
        await db.rejectRegistration({
          registrationId: input.registrationId,
          decidedBy: rejection.decidedBy,
          decidedAt: new Date().toISOString(),
          reason: rejection.reason,
        });
        state.status = 'rejected';
        await notify(
          'registration-rejected',
          'partner',
          `Your ${input.kind} registration is rejected`,
          rejection.reason,
        );
        return { ...state };
      }),
    {
      validator: (rejection: RejectRegistrationInput) => {
        if (state.status !== 'pending')
          refuse(`The registration is already ${state.status}`, {
            reason: 'registration_already_decided',
            params: { status: state.status },
          });
        if (rejection.reason.trim() === '') {
          throw ApplicationFailure.create({
            message: 'A rejection needs a reason',
            type: REGISTRATION_FAILURES.validation,
            details: [
              [{ field: 'reason', message: 'must not be empty', code: 'required' }],
              { reason: 'validation_failed' },
            ],
          });
        }
      },
    },
  );

  setHandler(
    renewRegistrationUpdate,
    (renewal) =>
      serialized(async () => {
        if (state.status !== 'approved' || state.endDate === null) {
          refuse(`The registration is ${state.status}: only an approved deal is renewed`, {
            reason: 'deal_not_renewable',
            params: { status: state.status },
          });
        }
        const endDate = renewedEndDate(state.endDate, input.dealTermMonths);
        await db.extendRegistration({
          registrationId: input.registrationId,
          endDate,
          requestedBy: renewal.requestedBy,
          at: new Date().toISOString(),
        });
        state.endDate = endDate;
        return { ...state };
      }),
    {
      validator: (_renewal) => {
        if (input.kind !== 'deal')
          refuse('Only a deal is renewed', { reason: 'only_deal_renewed' });
        if (state.status !== 'approved') {
          refuse(`The registration is ${state.status}: only an approved deal is renewed`, {
            reason: 'deal_not_renewable',
            params: { status: state.status },
          });
        }
      },
    },
  );

  const sla = await db.computeRegistrationSla({
    registrationId: input.registrationId,
    submittedAt: input.submittedAt,
    businessDays: input.slaBusinessDays,
  });
  state.reviewDeadline = sla.deadline;
  state.reminderAt = sla.reminderAt;
  const decided = () => state.status !== 'pending';

  if (!(await condition(decided, until(sla.reminderAt)))) {
    state.remindedAt = new Date().toISOString();
    await db.recordRegistrationReminder({
      registrationId: input.registrationId,
      at: state.remindedAt,
    });
    await notify(
      'registration-review-reminder',
      'manager',
      `A ${input.kind} registration is due for review tomorrow`,
      `Decide by ${sla.deadline}.`,
    );
  }
  if (!decided() && !(await condition(decided, until(sla.deadline)))) {
    state.escalatedAt = new Date().toISOString();
    await db.escalateRegistration({ registrationId: input.registrationId, at: state.escalatedAt });
    await notify(
      'registration-review-escalated',
      'supervisor',
      `Review SLA breached: a ${input.kind} registration`,
      `The deadline ${sla.deadline} passed without a decision.`,
    );
  }
  // Past the deadline the registration waits for a manager, however long.
  await condition(decided);

  if (state.status === 'approved' && input.kind === 'deal') {
    for (;;) {
      const end = state.endDate;
      if (end === null) break;
      if (await condition(() => state.endDate !== end, until(expiresAt(end)))) continue;
      await condition(() => !busy);
      if (state.endDate !== end) continue;
      await db.expireRegistration({
        registrationId: input.registrationId,
        at: new Date().toISOString(),
      });
      state.status = 'expired';
      await notify(
        'registration-expired',
        'partner',
        'Your deal registration has expired',
        `The customer was linked until ${end}; register the deal again to renew it.`,
      );
      break;
    }
  }

  await condition(allHandlersFinished);
  await Promise.all(deliveries);
  return state;
}
