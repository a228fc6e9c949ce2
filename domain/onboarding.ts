/**
 * Onboarding vocabulary shared by the workflow, the API and the database (SPEC §1).
 * The steps and their transition rules grow here; the workflow only orchestrates.
 */
import type { FieldProblem } from './errors';

export const IDENTITY_METHODS = ['existing_account', 'new_id', 'sso_federation'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export const APPLICATION_STATUSES = [
  'draft',
  'awaiting_billing_verification',
  'in_review',
  'approved',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Statuses after which the application never changes again. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = [
  'approved',
  'rejected',
  'cancelled',
  'expired',
];

export function isFinal(status: ApplicationStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** The seven steps of SPEC §1, in order. */
export const ONBOARDING_STEPS = [
  'start',
  'sign_in',
  'application',
  'partnership_type',
  'billing_account',
  'manager_review',
  'decision',
] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/** An application with no applicant activity for this long expires (SPEC §1.7). */
export const APPLICANT_INACTIVITY_DAYS = 30;

// ---------------------------------------------------------------------------------------
// The applicant's answers and the rules that check them (SPEC §1.3–1.5).
// Each check returns field problems; an empty list means the input is acceptable.
// ---------------------------------------------------------------------------------------

export const PROGRAMS = ['var', 'referral'] as const;
export type Program = (typeof PROGRAMS)[number];

export const TAXATION_TYPES = [
  'general_with_vat',
  'simplified',
  'patent',
  'unified_agricultural',
] as const;
export type TaxationType = (typeof TAXATION_TYPES)[number];

export const BILLING_ACCOUNT_TYPES = ['business', 'individual_entrepreneur', 'individual'] as const;
export type BillingAccountType = (typeof BILLING_ACCOUNT_TYPES)[number];

export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export interface BankDetails {
  bik: string;
  account: string;
}

/** The company-profile questionnaire of step 4; every answer is required. */
export interface Questionnaire {
  companySize: '1-10' | '11-50' | '51-250' | '251+';
  /** What the company does with the cloud, e.g. "integration", "development". */
  specializations: string[];
  /** Customers the company serves today. */
  customerCount: number;
  /** Why the company wants to become a partner. */
  motivation: string;
}

/** What the platform knows of a billing account when an applicant picks it. */
export interface BillingAccountFacts {
  id: string;
  organizationId: string;
  type: BillingAccountType;
  ownerResident: boolean;
  paymentMethod: 'invoice' | 'card';
  lockedByApplication: string | null;
  bankDetails: BankDetails | null;
}

/** One field's problem: its path, the English text, and the stable code with its parameters. */
export type Problem = FieldProblem;

/**
 * An existing billing account qualifies when it is a business account (legal entity or
 * individual entrepreneur) of a Russian resident paying by invoice, belongs to the
 * applicant's organization and is not already tied to another application.
 */
export function billingAccountProblems(
  account: BillingAccountFacts,
  context: { organizationId: string; applicationId: string },
): Problem[] {
  const field = 'company.billingAccountId';
  const problems: Problem[] = [];
  if (account.organizationId !== context.organizationId) {
    return [
      {
        field,
        message: 'this billing account belongs to another organization',
        code: 'billing_account_foreign',
      },
    ];
  }
  if (account.type === 'individual') {
    problems.push({
      field,
      message: 'must be a business account (legal entity or individual entrepreneur)',
      code: 'billing_account_not_business',
    });
  }
  if (!account.ownerResident) {
    problems.push({
      field,
      message: 'the owner must be a resident of the Russian Federation',
      code: 'billing_account_not_resident',
    });
  }
  if (account.paymentMethod !== 'invoice') {
    problems.push({
      field,
      message: 'the payment method must be invoice / wire transfer',
      code: 'billing_account_not_invoice',
    });
  }
  if (account.lockedByApplication && account.lockedByApplication !== context.applicationId) {
    problems.push({
      field,
      message: 'this billing account is already used by another application',
      code: 'billing_account_in_use',
    });
  }
  return problems;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{7,20}$/;

/** Contact details of step 3: a name, an e-mail address and a phone number. */
export function contactProblems(contact: Contact, prefix = 'contact'): Problem[] {
  const problems: Problem[] = [];
  if (!contact.name?.trim())
    problems.push({ field: `${prefix}.name`, message: 'must not be empty', code: 'required' });
  if (!EMAIL.test(contact.email ?? ''))
    problems.push({
      field: `${prefix}.email`,
      message: 'must be an e-mail address',
      code: 'invalid_format',
      params: { format: 'email' },
    });
  if (!PHONE.test(contact.phone ?? '')) {
    problems.push({
      field: `${prefix}.phone`,
      message: 'must be a phone number such as +7 495 123-45-67',
      code: 'invalid_format',
      params: { format: 'phone' },
    });
  }
  return problems;
}

const COMPANY_SIZES: readonly Questionnaire['companySize'][] = ['1-10', '11-50', '51-250', '251+'];

/** The questionnaire must be complete: every answer given. */
export function questionnaireProblems(questionnaire: Questionnaire | null | undefined): Problem[] {
  if (!questionnaire)
    return [
      {
        field: 'questionnaire',
        message: 'complete the questionnaire about the company profile',
        code: 'required',
      },
    ];
  const problems: Problem[] = [];
  if (!COMPANY_SIZES.includes(questionnaire.companySize)) {
    problems.push({
      field: 'questionnaire.companySize',
      message: `must be one of ${COMPANY_SIZES.join(', ')}`,
      code: 'invalid_value',
      params: { values: COMPANY_SIZES.join(', ') },
    });
  }
  if (
    !questionnaire.specializations?.length ||
    questionnaire.specializations.some((s) => !s.trim())
  ) {
    problems.push({
      field: 'questionnaire.specializations',
      message: 'name at least one specialization',
      code: 'too_small',
      params: { minimum: 1, origin: 'array' },
    });
  }
  if (!Number.isInteger(questionnaire.customerCount) || questionnaire.customerCount < 0) {
    problems.push({
      field: 'questionnaire.customerCount',
      message: 'must be a whole number, zero or more',
      code: 'whole_number',
    });
  }
  if (!questionnaire.motivation?.trim()) {
    problems.push({
      field: 'questionnaire.motivation',
      message: 'tell us why you want to become a partner',
      code: 'required',
    });
  }
  return problems;
}

/**
 * Step 4: the partnership type after the video, with a taxation type and a complete
 * questionnaire. Referral requires bank details (their BIK/account check is separate).
 */
export function partnershipProblems(input: {
  videoWatched: boolean;
  programs: Program[];
  referralProgramOpen: boolean;
  hasBankDetails: boolean;
  taxationType?: string | null;
  questionnaire?: Questionnaire | null;
}): Problem[] {
  const problems: Problem[] = [];
  if (!input.videoWatched) {
    problems.push({
      field: 'programs',
      message: 'watch the information video to the end before choosing the partnership type',
      code: 'video_not_watched',
    });
  }
  if (input.programs.length === 0) {
    problems.push({
      field: 'programs',
      message: 'choose VAR, referral or both',
      code: 'too_small',
      params: { minimum: 1, origin: 'array' },
    });
  }
  if (new Set(input.programs).size !== input.programs.length) {
    problems.push({
      field: 'programs',
      message: 'each program may be chosen once',
      code: 'duplicate',
      params: { value: 'programs' },
    });
  }
  if (input.programs.includes('referral') && !input.referralProgramOpen) {
    problems.push({
      field: 'programs',
      message: 'the referral program no longer accepts new partners; choose VAR',
      code: 'referral_program_closed',
    });
  }
  if (input.programs.includes('referral') && !input.hasBankDetails) {
    problems.push({
      field: 'bankDetails',
      message: 'the referral program requires bank details (BIK and settlement account)',
      code: 'bank_details_required',
    });
  }
  if ('taxationType' in input && !TAXATION_TYPES.includes(input.taxationType as TaxationType)) {
    problems.push({
      field: 'taxationType',
      message: `choose one of ${TAXATION_TYPES.join(', ')}`,
      code: 'invalid_value',
      params: { values: TAXATION_TYPES.join(', ') },
    });
  }
  if ('questionnaire' in input) problems.push(...questionnaireProblems(input.questionnaire));
  return problems;
}

/** The information video counts as watched when playback reached its end (1 s tolerance). */
export function videoWatchedToEnd(positionSeconds: number, durationSeconds: number): boolean {
  return durationSeconds > 0 && positionSeconds >= durationSeconds - 1;
}

/** Billing-verification reminders to the applicant while the check takes days. */
export const BILLING_VERIFICATION_REMINDER_DAYS = 2;
