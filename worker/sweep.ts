import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import type { PresaleRepository } from '../prisma/repositories/presale.repository';
import type { RegistrationRepository } from '../prisma/repositories/registration.repository';
import {
  PRESALE_REQUEST_WORKFLOW_TYPE,
  presaleRequestInput,
  presaleRequestWorkflowId,
} from '../workflows/presale-request.contracts';
import {
  REGISTRATION_REVIEW_WORKFLOW_TYPE,
  registrationReviewInput,
  registrationReviewWorkflowId,
} from '../workflows/registration-review.contracts';

export interface SweepOutcome {
  /** Pending registrations and open presale requests looked at. */
  checked: number;
  /** Of those, the ones whose workflow had never started and now has. */
  started: { kind: 'registration' | 'presale'; id: string }[];
}

/** How many pending registrations one sweep looks at. */
const SWEEP_LIMIT = 1000;

/**
 * The database is the record of a deal or project registration and of a presale request; the
 * API starts its workflow right after storing it. When Temporal was unreachable at that moment
 * the record is kept (the partner is not asked to submit again) and this sweep starts the
 * workflow later. It never starts a second run: a workflow id that exists, running or closed,
 * is left alone, so a registration decided between the read and the start is not reviewed again.
 */
export async function startMissingWorkflows(deps: {
  client: Client;
  taskQueue: string;
  registrations: RegistrationRepository;
  presales: PresaleRepository;
  config: Pick<Config, 'registrations' | 'presale' | 'notifications'>;
}): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { checked: 0, started: [] };
  const startOnce = async (
    kind: SweepOutcome['started'][number]['kind'],
    id: string,
    start: () => Promise<unknown>,
  ) => {
    outcome.checked += 1;
    try {
      await start();
      outcome.started.push({ kind, id });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
  const { config } = deps;
  for (const registration of await deps.registrations.withStatus('pending', SWEEP_LIMIT)) {
    await startOnce('registration', registration.id, () =>
      deps.client.workflow.start(REGISTRATION_REVIEW_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId: registrationReviewWorkflowId(registration.id),
        args: [
          registrationReviewInput(registration, registration.startDate, {
            ...config.registrations,
            recipients: {
              managers: config.notifications.managerRecipient,
              supervisors: config.notifications.supervisorRecipient,
            },
          }),
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  }
  for (const request of await deps.presales.queue(['new', 'assigned', 'in_progress'])) {
    await startOnce('presale', request.id, () =>
      deps.client.workflow.start(PRESALE_REQUEST_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId: presaleRequestWorkflowId(request.id),
        args: [
          presaleRequestInput(request, {
            staff: config.presale.staffRecipient,
            leads: config.presale.leadsRecipient,
          }),
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  }
  return outcome;
}
