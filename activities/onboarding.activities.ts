import { Context } from '@temporalio/activity';
import type { ApplicationStatus, OnboardingStep } from '../domain/onboarding';
import type { ApplicationRepository } from '../prisma/repositories/application.repository';
import { onboardingWorkflowId, type StartOnboardingInput } from '../workflows/contracts';

export interface OnboardingActivityDeps {
  applications: ApplicationRepository;
}

export interface RecordApplicationInput extends StartOnboardingInput {
  status: ApplicationStatus;
  step: OnboardingStep;
}

export interface RecordApplicationEventInput {
  applicationId: string;
  sequence: number;
  actor: string;
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  step: OnboardingStep;
  at: string;
}

/** The run that owns the application, so reads reach that run even after a re-application. */
function currentRunId(): string {
  const runId = Context.current().info.workflowExecution?.runId;
  if (!runId) throw new Error('recordApplication must run as a workflow activity');
  return runId;
}

/** Database side effects of onboarding; each one idempotent by business key. */
export function createOnboardingActivities({ applications }: OnboardingActivityDeps) {
  return {
    async recordApplication(input: RecordApplicationInput): Promise<void> {
      await applications.create({
        id: input.applicationId,
        organizationId: input.organizationId,
        workflowId: onboardingWorkflowId(input.organizationId),
        workflowRunId: currentRunId(),
        identityMethod: input.identityMethod,
        status: input.status,
        step: input.step,
        startedBy: input.startedBy,
        startedAt: new Date(input.startedAt),
      });
    },

    async recordApplicationEvent(input: RecordApplicationEventInput): Promise<void> {
      await applications.recordEvent({ ...input, at: new Date(input.at) });
    },
  };
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;
