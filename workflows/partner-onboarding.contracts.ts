import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApplicationStatus,
  BankDetails,
  Contact,
  IdentityMethod,
  OnboardingStep,
  Problem,
  Program,
  Questionnaire,
  TaxationType,
} from '../domain/onboarding';
import type { CompanyCard } from '../domain/company';

/**
 * Message contracts of the onboarding workflow (one run per open application of an
 * organization). Wire names never change once deployed.
 */
export const ONBOARDING_WORKFLOW_TYPE = 'partnerOnboardingWorkflow';

/** At most one open application per organization: the workflow id is derived from it. */
export function onboardingWorkflowId(organizationId: string): string {
  return `partner-onboarding:${organizationId}`;
}

/** Failure types the onboarding workflow raises to callers of its updates. */
export const ONBOARDING_FAILURES = {
  /** Input breaks a rule; `details[0]` is the list of field problems. */
  validation: 'ValidationFailed',
  /** The step or status does not allow this now. */
  invalidState: 'InvalidState',
  /**
   * Approval found the organization already holding a partner record of another application
   * (raised by the createPartner activity, never retried).
   */
  organizationIsPartner: 'OrganizationIsPartner',
  /**
   * A new application was asked of an organization whose previous application is decided and
   * still sending its last notifications; `details[0]` is that application's id.
   */
  previousApplicationFinishing: 'PreviousApplicationFinishing',
} as const;

export interface StartOnboardingInput {
  applicationId: string;
  organizationId: string;
  identityMethod: IdentityMethod;
  /** Subject of the user who started it. */
  startedBy: string;
  /** ISO instant, taken by the API when the request arrived. */
  startedAt: string;
  /** Whether the referral program took new applications when this one started. */
  referralProgramOpen: boolean;
  /** Addresses of the manager team and of the supervisors (from configuration). */
  recipients?: { managers: string; supervisors: string };
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
}

export interface BillingAccountProgress {
  id: string;
  source: 'existing' | 'created';
  verification: 'not_requested' | 'pending' | 'approved' | 'rejected';
  rejectionReason: string | null;
  upgradedToPaid: boolean;
}

export interface ReviewProgress {
  submittedAt: string;
  /** Moscow date of the 7th business day after submission. */
  lastReviewDay: string;
  reminderAt: string;
  deadline: string;
  remindedAt: string | null;
  escalatedAt: string | null;
}

export interface DecisionRecord {
  outcome: 'approved' | 'rejected';
  by: string;
  at: string;
  reason: string | null;
  partnerId: string | null;
  startDate: string | null;
}

export interface ApplicationState {
  applicationId: string;
  organizationId: string;
  identityMethod: IdentityMethod;
  status: ApplicationStatus;
  step: OnboardingStep;
  /** What the applicant (or the manager) has to do next, in words. */
  nextAction: string;
  startedAt: string;
  /** True once the application is stored in the database. */
  recorded: boolean;
  /** When the application expires unless the applicant acts; null while others act. */
  expiresAt: string | null;
  contact: Contact | null;
  company: CompanyCard | null;
  companyConfirmed: boolean;
  videoWatched: boolean;
  programs: Program[];
  taxationType: TaxationType | null;
  questionnaire: Questionnaire | null;
  bankDetails: BankDetails | null;
  billingAccount: BillingAccountProgress | null;
  review: ReviewProgress | null;
  decision: DecisionRecord | null;
  history: AuditEntry[];
}

export interface OnboardingOutcome {
  applicationId: string;
  status: ApplicationStatus;
  partnerId: string | null;
}

export interface ActorInput {
  /** Subject of the user (or system) acting. */
  actor: string;
}

export type CompanyChoice = { billingAccountId: string } | { inn: string };

export interface SubmitApplicationInput extends ActorInput {
  contact: Contact;
  company: CompanyChoice;
}

export interface ConfirmCompanyInput extends ActorInput {
  confirmed: boolean;
}

export interface VideoProgressInput extends ActorInput {
  positionSeconds: number;
  durationSeconds: number;
}

export interface ChoosePartnershipInput extends ActorInput {
  programs: Program[];
  taxationType: TaxationType;
  questionnaire: Questionnaire;
  bankDetails?: BankDetails;
}

export interface BillingAccountInput extends ActorInput {
  name: string;
  type: 'business' | 'individual_entrepreneur';
  /** Defaults to the contact of the application step. */
  contact?: Contact;
}

export interface CancelApplicationInput extends ActorInput {
  reason?: string;
}

export interface ApproveApplicationInput extends ActorInput {
  /** Moscow date the partnership starts; default: the day of approval. */
  startDate?: string;
}

export interface RejectApplicationInput extends ActorInput {
  reason: string;
}

export interface BillingVerificationResult {
  billingAccountId: string;
  result: 'approved' | 'rejected';
  reason?: string;
}

export type ValidationProblems = Problem[];

export const applicationStateQuery = defineQuery<ApplicationState>('applicationState');
/**
 * Sent with the start (update-with-start): answers once the application is stored in the
 * database — the new one, or the organization's open one when there is one already.
 */
export const openApplicationUpdate = defineUpdate<ApplicationState, [StartOnboardingInput]>(
  'openApplication',
);
export const submitApplicationUpdate = defineUpdate<ApplicationState, [SubmitApplicationInput]>(
  'submitApplication',
);
export const confirmCompanyUpdate = defineUpdate<ApplicationState, [ConfirmCompanyInput]>(
  'confirmCompany',
);
export const recordVideoProgressUpdate = defineUpdate<ApplicationState, [VideoProgressInput]>(
  'recordVideoProgress',
);
export const choosePartnershipUpdate = defineUpdate<ApplicationState, [ChoosePartnershipInput]>(
  'choosePartnership',
);
export const submitBillingAccountUpdate = defineUpdate<ApplicationState, [BillingAccountInput]>(
  'submitBillingAccount',
);
export const cancelApplicationUpdate = defineUpdate<ApplicationState, [CancelApplicationInput]>(
  'cancelApplication',
);
export const approveApplicationUpdate = defineUpdate<ApplicationState, [ApproveApplicationInput]>(
  'approveApplication',
);
export const rejectApplicationUpdate = defineUpdate<ApplicationState, [RejectApplicationInput]>(
  'rejectApplication',
);
export const billingVerificationSignal =
  defineSignal<[BillingVerificationResult]>('billingVerification');
