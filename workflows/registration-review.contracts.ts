import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RegistrationKind, RegistrationStatus } from '../domain/registrations';

/**
 * Message contracts of the review of a deal or project a partner registered (one run per
 * registration). Wire names never change once deployed.
 */
export const REGISTRATION_REVIEW_WORKFLOW_TYPE = 'registrationReviewWorkflow';

export function registrationReviewWorkflowId(registrationId: string): string {
  return `registration-review:${registrationId}`;
}

/** Failure types the review raises to callers of its updates (as onboarding's). */
export const REGISTRATION_FAILURES = {
  validation: 'ValidationFailed',
  invalidState: 'InvalidState',
  conflict: 'Conflict',
} as const;

export interface RegistrationReviewInput {
  registrationId: string;
  kind: RegistrationKind;
  partnerId: string;
  /** ISO instant the API stored the registration. */
  submittedAt: string;
  /** Business days managers have to decide (configuration). */
  slaBusinessDays: number;
  /** Months an approved deal links its customer (configuration). */
  dealTermMonths: number;
  /** Deal: the first day the partner asked for; the link never starts before approval. */
  requestedStart: string | null;
  /** Addresses of the manager team and of the supervisors (from configuration). */
  recipients: { managers: string; supervisors: string };
}

/** What the review needs of a stored registration. */
export interface StoredRegistration {
  id: string;
  kind: RegistrationKind;
  partnerId: string;
  submittedAt: string;
}

/**
 * The review's input for a stored registration: one builder for the API, which starts the
 * review after storing it, and for the worker's sweep, which starts reviews the API could not.
 */
export function registrationReviewInput(
  registration: StoredRegistration,
  requestedStart: string | null,
  settings: Pick<RegistrationReviewInput, 'slaBusinessDays' | 'dealTermMonths' | 'recipients'>,
): RegistrationReviewInput {
  return {
    registrationId: registration.id,
    kind: registration.kind,
    partnerId: registration.partnerId,
    submittedAt: registration.submittedAt,
    slaBusinessDays: settings.slaBusinessDays,
    dealTermMonths: settings.dealTermMonths,
    requestedStart,
    recipients: settings.recipients,
  };
}

export interface RegistrationReviewState {
  registrationId: string;
  status: RegistrationStatus;
  reviewDeadline: string | null;
  reminderAt: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface ApproveRegistrationInput {
  decidedBy: string;
  /** Deal: a fraction, at most 0.15 (15 percentage points). */
  upliftRate?: string | null;
  /** Project: a fraction of the growth, at most 0.15. */
  rate?: string | null;
  /** Project: the manager's baseline; default the registration's three-month average. */
  baselineMonthly?: string | null;
}

export interface RejectRegistrationInput {
  decidedBy: string;
  reason: string;
}

export interface RenewRegistrationInput {
  requestedBy: string;
}

export const approveRegistrationUpdate = defineUpdate<
  RegistrationReviewState,
  [ApproveRegistrationInput]
>('approveRegistration');
export const rejectRegistrationUpdate = defineUpdate<
  RegistrationReviewState,
  [RejectRegistrationInput]
>('rejectRegistration');
/** Before expiry: the deal runs one more term from its end. */
export const renewRegistrationUpdate = defineUpdate<
  RegistrationReviewState,
  [RenewRegistrationInput]
>('renewRegistration');
export const registrationStateQuery = defineQuery<RegistrationReviewState>('registrationState');
