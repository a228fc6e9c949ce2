import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApplicationStatus, IdentityMethod, OnboardingStep } from '../domain/onboarding';

/**
 * Message contracts of the workflows: inputs, outputs, queries, updates and id builders.
 * The API imports this file, never the workflow implementations. Wire names (the strings
 * passed to define*) never change once deployed.
 */
export const DEFAULT_TASK_QUEUE = 'partner-platform';

export const ONBOARDING_WORKFLOW_TYPE = 'partnerOnboardingWorkflow';

/** At most one open application per organization: the workflow id is derived from it. */
export function onboardingWorkflowId(organizationId: string): string {
  return `partner-onboarding:${organizationId}`;
}

export interface StartOnboardingInput {
  applicationId: string;
  organizationId: string;
  identityMethod: IdentityMethod;
  /** Subject of the user who started it. */
  startedBy: string;
  /** ISO instant, taken by the API when the request arrived. */
  startedAt: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
}

export interface ApplicationState {
  applicationId: string;
  organizationId: string;
  identityMethod: IdentityMethod;
  status: ApplicationStatus;
  step: OnboardingStep;
  startedAt: string;
  /** True once the application is stored in the database. */
  recorded: boolean;
  /** When the application expires unless the applicant acts (ISO instant). */
  expiresAt: string;
  history: AuditEntry[];
}

export interface OnboardingOutcome {
  applicationId: string;
  status: ApplicationStatus;
}

export interface CancelApplicationInput {
  actor: string;
  reason?: string;
}

export const applicationStateQuery = defineQuery<ApplicationState>('applicationState');
export const cancelApplicationUpdate = defineUpdate<ApplicationState, [CancelApplicationInput]>(
  'cancelApplication',
);
