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
 * Message contracts of the workflows: inputs, outputs, queries, updates, signals and id
 * builders. The API imports this file, never the workflow implementations. Wire names (the
 * strings passed to define*) never change once deployed.
 */
export const DEFAULT_TASK_QUEUE = 'partner-platform';

export const ONBOARDING_WORKFLOW_TYPE = 'partnerOnboardingWorkflow';

/** At most one open application per organization: the workflow id is derived from it. */
export function onboardingWorkflowId(organizationId: string): string {
  return `partner-onboarding:${organizationId}`;
}

/** The Temporal header that carries the id of the HTTP request behind a workflow or activity. */
export const REQUEST_ID_HEADER = 'x-request-id';

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

// ---- VAR month-end close ------------------------------------------------------------------

export const MONTH_CLOSE_WORKFLOW_TYPE = 'monthCloseWorkflow';
export const MONTH_CLOSE_SCHEDULE_ID = 'var-month-close';

/** One close per month: on-demand runs of a month share this id. */
export function monthCloseWorkflowId(month: string): string {
  return `month-close:${month}`;
}

export interface MonthCloseInput {
  /** 'YYYY-MM'; omitted by the schedule, which settles the month before its fire time. */
  month?: string;
  /**
   * A scheduled run closing earlier open months first (months close in order): the month it
   * was fired for. Carried over by continue-as-new.
   */
  catchUpTo?: string;
  /** Carried over by continue-as-new. */
  resume?: {
    /** VAR invoices first, then referral commissions; absent means 'var'. */
    phase?: ClosePhase;
    cursor: string | null;
    settled: number;
    created: number;
    referralSettled?: number;
    statementsCreated?: number;
  };
}

export type ClosePhase = 'var' | 'referral';

export interface MonthCloseResult {
  month: string;
  /** Earlier open months a scheduled run closed first, in order. */
  caughtUp?: string[];
  /** The reconciliation's difference when the close completed: "0" when every line is billed. */
  reconciliationDifference?: string;
  partnersSettled: number;
  invoicesCreated: number;
  referralPartnersSettled: number;
  statementsCreated: number;
}

export interface CloseProgress {
  month: string;
  status: 'running' | 'completed';
  phase: ClosePhase;
  /** VAR partners (and partners who left with late consumption) and their invoices. */
  partnersTotal: number;
  partnersSettled: number;
  invoicesCreated: number;
  /** Referral partners and their commission statements. */
  referralPartnersTotal: number;
  referralPartnersSettled: number;
  statementsCreated: number;
}

export const closeProgressQuery = defineQuery<CloseProgress>('closeProgress');

/** Activity failures the close never retries: the same input would fail the same way. */
export const CLOSE_NON_RETRYABLE_ERRORS = ['CloseOrderError', 'LedgerOverlapError', 'InvalidMonth'];

// ---- Billing threshold: interim invoices ----------------------------------------------------

export const INTERIM_INVOICE_WORKFLOW_TYPE = 'interimInvoiceWorkflow';

/** One check at a time per partner-month; a new batch joins the running one. */
export function interimInvoiceWorkflowId(partnerId: string, month: string): string {
  return `interim-invoice:${partnerId}:${month}`;
}

export interface InterimInvoiceInput {
  partnerId: string;
  /** The month of the consumption, 'YYYY-MM' (Moscow). */
  month: string;
}

export interface InterimInvoiceResult {
  invoices: { invoiceId: string; number: string; payable: string }[];
}

// ---- Partner lifecycle: exit notice and revocation (SPEC §4) -----------------------------

export const PARTNER_EXIT_WORKFLOW_TYPE = 'partnerExitWorkflow';
export const PARTNER_REVOCATION_WORKFLOW_TYPE = 'partnerRevocationWorkflow';

/** Only one open notice per partner: the workflow id is derived from the partner. */
export function partnerExitWorkflowId(partnerId: string): string {
  return `partner-exit:${partnerId}`;
}

export function partnerRevocationWorkflowId(partnerId: string): string {
  return `partner-revocation:${partnerId}`;
}

export interface PartnerExitInput {
  partnerId: string;
  requestedBy: string;
  noticeAt: string;
  /** First day without partner status (Moscow date). */
  exitDate: string;
  /** 00:00 Moscow time on the exit date. */
  exitAt: string;
}

export interface PartnerExitState {
  partnerId: string;
  status: 'notice_open' | 'withdrawn' | 'superseded' | 'exited';
  exitDate: string;
  exitAt: string;
  /** After the exit date: what the final steps produced. */
  final?: FinalSettlementSummary;
}

/** What leaving (exit or revocation) produced: the partial month's documents and the payout. */
export interface FinalSettlementSummary {
  /** The partial month ('YYYY-MM'): the month of the last day with partner status. */
  month: string | null;
  /** The VAR final invoice, or the month's invoice that already covered it, or none. */
  invoice: { number: string; payable: string } | null;
  invoiceCoveredBy?: string;
  /** The referral final statement, or the month's statement that already covered it. */
  commissionStatement: { number: string; total: string } | null;
  commissionCoveredBy?: string;
  /** The rebate balance paid out to the bank account (null when it was zero or is held). */
  rebatePayout: string | null;
  /**
   * The rebate balance kept, not paid, because the partner has no valid bank details: what
   * is wrong with them. Paid once the partner gives them (`PUT …/bank-details`).
   */
  rebateAwaitingBankDetails?: { amount: string; problems: { field: string; message: string }[] };
}

export interface PartnerRevocationInput {
  partnerId: string;
  reason: string;
  revokedBy: string;
  /** Moscow date the revocation takes effect (the day it is decided). */
  effectiveDate: string;
}

export const exitNoticeStateQuery = defineQuery<PartnerExitState>('exitNoticeState');
export const withdrawExitNoticeUpdate = defineUpdate<PartnerExitState, [{ actor: string }]>(
  'withdrawExitNotice',
);
export const exitSupersededSignal = defineSignal<[{ reason: string }]>('exitSuperseded');
