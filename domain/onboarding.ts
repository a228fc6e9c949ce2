/**
 * Onboarding vocabulary shared by the workflow, the API and the database (SPEC §1).
 * The steps and their transition rules grow here; the workflow only orchestrates.
 */
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
