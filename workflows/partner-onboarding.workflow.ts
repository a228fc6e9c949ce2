import {
  condition,
  proxyActivities,
  setHandler,
  allHandlersFinished,
  ApplicationFailure,
} from '@temporalio/workflow';
import { APPLICANT_INACTIVITY_DAYS, isFinal, type ApplicationStatus } from '../domain/onboarding';
import type { OnboardingActivities } from '../activities/onboarding.activities';
import {
  applicationStateQuery,
  cancelApplicationUpdate,
  type ApplicationState,
  type OnboardingOutcome,
  type StartOnboardingInput,
} from './contracts';

const { recordApplication, recordApplicationEvent } = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['DomainError'],
  },
});

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One durable workflow per partner application (SPEC §1). This first slice stores the
 * application, answers the state query, lets the applicant cancel and expires it after 30
 * days without applicant activity; the later steps build on the same skeleton.
 */
export async function partnerOnboardingWorkflow(
  input: StartOnboardingInput,
): Promise<OnboardingOutcome> {
  const inactivityMs = APPLICANT_INACTIVITY_DAYS * DAY_MS;
  let lastActivityMs = Date.parse(input.startedAt);
  const state: ApplicationState = {
    applicationId: input.applicationId,
    organizationId: input.organizationId,
    identityMethod: input.identityMethod,
    status: 'draft',
    step: 'application',
    startedAt: input.startedAt,
    recorded: false,
    expiresAt: new Date(lastActivityMs + inactivityMs).toISOString(),
    history: [
      { at: input.startedAt, actor: input.startedBy, action: 'started', from: null, to: 'draft' },
    ],
  };

  async function transition(
    to: ApplicationStatus,
    actor: string,
    action: string,
    at: string,
  ): Promise<void> {
    const from = state.status;
    state.status = to;
    state.history.push({ at, actor, action, from, to });
    await recordApplicationEvent({
      applicationId: state.applicationId,
      sequence: state.history.length,
      actor,
      action,
      from,
      to,
      step: state.step,
      at,
    });
  }

  setHandler(applicationStateQuery, () => state);
  setHandler(
    cancelApplicationUpdate,
    async ({ actor, reason }) => {
      const at = new Date().toISOString();
      lastActivityMs = Date.now();
      await transition('cancelled', actor, reason ? `cancelled: ${reason}` : 'cancelled', at);
      return state;
    },
    {
      validator: (_input) => {
        if (isFinal(state.status)) {
          throw ApplicationFailure.create({
            type: 'InvalidState',
            message: `The application is already ${state.status}`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  await recordApplication({ ...input, status: state.status, step: state.step });
  state.recorded = true;

  while (!isFinal(state.status)) {
    const remaining = lastActivityMs + inactivityMs - Date.now();
    const acted = await condition(() => isFinal(state.status), Math.max(remaining, 1));
    if (!acted && Date.now() >= lastActivityMs + inactivityMs) {
      await transition('expired', 'system', 'expired', new Date().toISOString());
    }
    state.expiresAt = new Date(lastActivityMs + inactivityMs).toISOString();
  }
  await condition(allHandlersFinished);
  return { applicationId: state.applicationId, status: state.status };
}
