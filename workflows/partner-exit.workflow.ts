import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle.activities';
import {
  ONBOARDING_FAILURES,
  exitNoticeStateQuery,
  exitSupersededSignal,
  withdrawExitNoticeUpdate,
  type PartnerExitInput,
  type PartnerExitState,
} from './contracts';

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
 * withdraws it first or a revocation supersedes it; on the date the partner's memberships
 * and customer links end. The date rules live in `domain/lifecycle.ts`.
 */
export async function partnerExitWorkflow(input: PartnerExitInput): Promise<PartnerExitState> {
  const state: PartnerExitState = {
    partnerId: input.partnerId,
    status: 'notice_open',
    exitDate: input.exitDate,
    exitAt: input.exitAt,
  };
  setHandler(exitNoticeStateQuery, () => state);
  setHandler(exitSupersededSignal, () => {
    if (state.status === 'notice_open') state.status = 'superseded';
  });
  setHandler(
    withdrawExitNoticeUpdate,
    async () => {
      await lifecycle.withdrawExitNotice({ partnerId: input.partnerId });
      state.status = 'withdrawn';
      return state;
    },
    {
      validator: (_input: { actor: string }) => {
        if (state.status !== 'notice_open' || Date.now() >= Date.parse(input.exitAt)) {
          throw ApplicationFailure.create({
            type: ONBOARDING_FAILURES.invalidState,
            message: `The notice can no longer be withdrawn (it is ${state.status === 'notice_open' ? 'past its date' : state.status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  await lifecycle.recordExitNotice({
    partnerId: input.partnerId,
    noticeAt: input.noticeAt,
    exitDate: input.exitDate,
  });
  const ended = await condition(
    () => state.status !== 'notice_open',
    Math.max(Date.parse(input.exitAt) - Date.now(), 1),
  );
  if (!ended) {
    await lifecycle.completePartnerExit({ partnerId: input.partnerId, exitDate: input.exitDate });
    state.status = 'exited';
  }
  return state;
}
