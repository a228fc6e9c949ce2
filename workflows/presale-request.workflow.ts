import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { isFinalPresaleStatus, type PresaleStatus } from '../domain/presales';
import type { NotificationActivities } from '../activities/notifications/notification.activities';
import type { PresaleActivities } from '../activities/presales.activities';
import type { RecipientType } from '../prisma/repositories/notification.repository';
import { NOTIFICATION_ACTIVITY_OPTIONS } from './notifications.contracts';
import {
  presaleEventSignal,
  presaleRequestStateQuery,
  type PresaleEvent,
  type PresaleRequestInput,
  type PresaleRequestOutcome,
  type PresaleRequestState,
} from './presale-request.contracts';

const db = proxyActivities<PresaleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const notifications = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

const STATUS_WORDS: Record<PresaleStatus, string> = {
  new: 'new',
  assigned: 'assigned',
  in_progress: 'in progress',
  done: 'done',
  declined: 'declined',
};

/** What a run carries over when it continues as new. */
interface Carried {
  state: PresaleRequestState;
  seen: string[];
  pending: PresaleEvent[];
}

/**
 * One workflow per presale request: tells the presale staff about it, waits for the first
 * answer (a staff member's assignment, decline or comment, signalled by the API) until the
 * SLA deadline and escalates to the presale leads when it passes unanswered; tells the
 * partner about every status change and staff comment, and the staff about the partner's
 * comments. It ends when the request is done or declined.
 */
export async function presaleRequestWorkflow(
  input: PresaleRequestInput,
  carried?: Carried,
): Promise<PresaleRequestOutcome> {
  const state: PresaleRequestState = carried?.state ?? {
    requestId: input.requestId,
    status: 'new',
    slaDeadline: input.slaDeadline,
    firstAnsweredAt: null,
    escalatedAt: null,
    notifications: 0,
  };
  const seen = new Set(carried?.seen ?? []);
  const pending: PresaleEvent[] = [...(carried?.pending ?? [])];

  setHandler(presaleEventSignal, (event) => {
    if (seen.has(event.eventId) || pending.some((e) => e.eventId === event.eventId)) return;
    pending.push(event);
  });
  setHandler(presaleRequestStateQuery, () => state);

  async function notify(
    key: string,
    kind: string,
    recipientType: RecipientType,
    recipient: string,
    subject: string,
    body: string,
  ): Promise<void> {
    const { notificationId } = await notifications.storeNotification({
      key: `presale:${input.requestId}:${key}`,
      recipientType,
      recipient,
      organizationId: input.organizationId,
      kind,
      subject,
      body,
      payload: { presaleRequestId: input.requestId, status: state.status },
    });
    state.notifications += 1;
    await notifications.deliverNotification({ notificationId }).catch(() => undefined);
  }

  const partner = `organization:${input.organizationId}`;

  async function handle(event: PresaleEvent): Promise<void> {
    if (event.byStaff && state.firstAnsweredAt === null) {
      state.firstAnsweredAt = new Date().toISOString();
    }
    if (event.kind === 'status' && event.to) {
      state.status = event.to;
      // The partner submitted it: the staff are told at the start, the partner needs no echo.
      if (event.to === 'new') {
        seen.add(event.eventId);
        return;
      }
      const words = STATUS_WORDS[event.to];
      const detail =
        event.to === 'assigned'
          ? ` to ${event.assignee ?? 'a presale engineer'}`
          : event.to === 'declined'
            ? `: ${event.reason ?? ''}`
            : '';
      await notify(
        `event:${event.eventId}:partner`,
        'presale-status-changed',
        'partner',
        partner,
        `Presale request "${input.topic}" is ${words}`,
        `Your presale request "${input.topic}" is now ${words}${detail}.`,
      );
    } else if (event.kind === 'comment') {
      if (event.byStaff) {
        await notify(
          `event:${event.eventId}:partner`,
          'presale-comment',
          'partner',
          partner,
          `New comment on presale request "${input.topic}"`,
          `${event.actor}: ${event.comment ?? ''}`,
        );
      } else {
        await notify(
          `event:${event.eventId}:staff`,
          'presale-comment',
          'manager',
          input.recipients.staff,
          `The partner commented on presale request "${input.topic}"`,
          `${event.actor}: ${event.comment ?? ''}`,
        );
      }
    }
    seen.add(event.eventId);
  }

  if (!carried) {
    await notify(
      'new',
      'presale-request-new',
      'manager',
      input.recipients.staff,
      `New presale request: ${input.topic}`,
      `A partner asks for presale experts. First answer due by ${input.slaDeadline}.`,
    );
  }

  const deadlineMs = Date.parse(input.slaDeadline);
  // Past the deadline once checked: an answer stored meanwhile arrives as a signal.
  let deadlineChecked = state.escalatedAt !== null;
  for (;;) {
    const waiting = state.firstAnsweredAt === null && !deadlineChecked;
    const leftMs = deadlineMs - Date.now();
    const woke = waiting
      ? leftMs > 0 && (await condition(() => pending.length > 0, leftMs))
      : await condition(() => pending.length > 0);
    if (!woke && pending.length === 0) {
      const at = new Date().toISOString();
      const { escalated } = await db.recordPresaleEscalation({ requestId: input.requestId, at });
      deadlineChecked = true;
      if (escalated) {
        state.escalatedAt = at;
        await notify(
          'escalated',
          'presale-sla-escalated',
          'supervisor',
          input.recipients.leads,
          `Presale request "${input.topic}" has no answer within its SLA`,
          `The first answer was due by ${input.slaDeadline}; nobody has answered yet.`,
        );
      }
      continue;
    }
    while (pending.length > 0) await handle(pending.shift() as PresaleEvent);
    if (isFinalPresaleStatus(state.status)) break;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof presaleRequestWorkflow>(input, {
        state,
        seen: [...seen],
        pending,
      });
    }
  }
  return {
    status: state.status,
    firstAnsweredAt: state.firstAnsweredAt,
    escalatedAt: state.escalatedAt,
  };
}
