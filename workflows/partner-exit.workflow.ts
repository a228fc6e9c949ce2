import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle.activities';
import { DomainError } from '../domain/errors';
import { exitDateFor } from '../domain/lifecycle';
import { ONBOARDING_FAILURES } from './partner-onboarding.contracts';
import {
  exitNoticeStateQuery,
  exitSupersededSignal,
  withdrawExitNoticeUpdate,
  type PartnerExitInput,
  type PartnerExitState,
} from './partner-exit.contracts';
import { describeFinal, finalSteps, notifyPartner } from './partner-final-steps';
import { PARTNER_ID } from './search-attributes';

/**
 * Release 2 (patched): the notice is checked by an activity, so correcting calendar data never
 * changes what a running exit replays, and the run is findable by its partner (PartnerId).
 */
export const EXIT_V2_PATCH = 'exit-notice-checked-in-activity';

const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['DomainError'],
  },
});

/**
 * A partner's exit notice (SPEC §4): waits durably until the exit date, unless the partner
 * withdraws it first or a revocation supersedes it. On the date the partner status ends
 * (memberships and customer links with it), the partial month is settled, the rebate
 * balance is paid out and the partner is told. The date rules live in `domain/lifecycle.ts`.
 */
export async function partnerExitWorkflow(input: PartnerExitInput): Promise<PartnerExitState> {
  if (patched(EXIT_V2_PATCH)) {
    upsertSearchAttributes([{ key: PARTNER_ID, value: input.partnerId }]);
    try {
      await lifecycle.checkExitNotice(input);
    } catch (error) {
      // The refusal fails the workflow as itself, as the release-1 check did.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
        throw error.cause;
      }
      throw error;
    }
  } else {
    checkNotice(input);
  }
  const state: PartnerExitState = {
    partnerId: input.partnerId,
    status: 'notice_open',
    exitDate: input.exitDate,
    exitAt: input.exitAt,
  };
  const deliveries: Promise<void>[] = [];
  /** A withdrawal in progress: the exit waits for it, so the two never cross. */
  let withdrawing = false;
  setHandler(exitNoticeStateQuery, () => state);
  setHandler(exitSupersededSignal, () => {
    if (state.status === 'notice_open') state.status = 'superseded';
  });
  setHandler(
    withdrawExitNoticeUpdate,
    async ({ actor }) => {
      withdrawing = true;
      try {
        await lifecycle.withdrawExitNotice({ partnerId: input.partnerId, actor });
        state.status = 'withdrawn';
        const { delivery } = await notifyPartner(
          input.partnerId,
          `exit-notice:${input.noticeAt}:withdrawn`,
          'exit_notice_withdrawn',
          'Your exit notice is withdrawn',
          `Your notice to leave on ${input.exitDate} is withdrawn: your partner status continues.`,
          { exitDate: input.exitDate },
        );
        deliveries.push(delivery);
        return state;
      } finally {
        withdrawing = false;
      }
    },
    {
      validator: (_input: { actor: string }) => {
        if (
          withdrawing ||
          state.status !== 'notice_open' ||
          Date.now() >= Date.parse(input.exitAt)
        ) {
          throw ApplicationFailure.create({
            type: ONBOARDING_FAILURES.invalidState,
            message: `The notice can no longer be withdrawn (it is ${withdrawing ? 'being withdrawn' : state.status === 'notice_open' ? 'past its date' : state.status})`,
            nonRetryable: true,
            details: [
              [],
              {
                reason: 'exit_notice_not_withdrawable',
                params: {
                  status: withdrawing
                    ? 'withdrawing'
                    : state.status === 'notice_open'
                      ? 'past_date'
                      : state.status,
                },
              },
            ],
          });
        }
      },
    },
  );

  await lifecycle.recordExitNotice({
    partnerId: input.partnerId,
    noticeAt: input.noticeAt,
    exitDate: input.exitDate,
    actor: input.requestedBy,
  });
  const received = await notifyPartner(
    input.partnerId,
    `exit-notice:${input.noticeAt}:received`,
    'exit_notice_received',
    'We received your exit notice',
    `Your partner status ends on ${input.exitDate} at 00:00 Moscow time. You can withdraw the notice until then.`,
    { exitDate: input.exitDate },
  );
  deliveries.push(received.delivery);
  await condition(
    () => state.status !== 'notice_open',
    Math.max(Date.parse(input.exitAt) - Date.now(), 1),
  );
  await condition(() => !withdrawing);
  if (state.status !== 'notice_open') {
    await Promise.all(deliveries);
    return state;
  }

  await lifecycle.completePartnerExit({ partnerId: input.partnerId, exitDate: input.exitDate });
  state.status = 'exited';
  state.final = await finalSteps(input.partnerId);
  const left = await notifyPartner(
    input.partnerId,
    'left',
    'partner_left',
    'Your partner status has ended',
    `As of ${input.exitDate} you are no longer a partner. ${describeFinal(state.final)}`,
    { exitDate: input.exitDate, final: state.final },
  );
  await Promise.all([...deliveries, left.delivery]);
  return state;
}

/**
 * The API checks the notice before starting this workflow; the workflow checks it again, so
 * no client can start an exit sooner than the rules allow. A refusal fails the workflow before
 * anything is recorded. Release 1 only: kept so its runs replay (release 2 asks the
 * checkExitNotice activity); remove with the patch once no release-1 exit runs.
 */
function checkNotice(input: PartnerExitInput): void {
  try {
    const { exitDate, exitAt } = exitDateFor({
      noticeAt: input.noticeAt,
      requestedExitDate: input.exitDate,
    });
    if (exitDate !== input.exitDate || exitAt !== input.exitAt) {
      throw new Error(`exitAt must be ${exitAt}, 00:00 Moscow time on ${exitDate}`);
    }
  } catch (error) {
    const problems = error instanceof DomainError ? error.fields : [];
    const reason =
      error instanceof DomainError
        ? { reason: error.reason, params: error.params }
        : {
            reason: 'exit_date_mismatch',
            params: { exitDate: input.exitDate, exitAt: input.exitAt },
          };
    throw ApplicationFailure.create({
      type: ONBOARDING_FAILURES.validation,
      message: error instanceof Error ? error.message : String(error),
      details: [problems, reason],
      nonRetryable: true,
    });
  }
}
