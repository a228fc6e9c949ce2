import {
  APPLICANT_INACTIVITY_DAYS,
  type ApplicationStatus,
  type OnboardingStep,
} from './onboarding';
import { fillTemplate } from './templates';

/**
 * What the applicant (or the manager) does next on an application, as a stable code with
 * parameters the portal translates, beside the English text the API has always sent. The
 * onboarding workflow words the same actions in its state; the API derives the code from
 * the application's status, step and fields so recorded workflow histories stay untouched.
 */
export const NEXT_ACTION_CODES = {
  start_application: { params: [], en: 'Start the application' },
  sign_in: { params: [], en: 'Sign in' },
  enter_application: {
    params: [],
    en: 'Enter contact details and choose a billing account or enter the company INN',
  },
  confirm_company: { params: [], en: 'Confirm the company card from the registry' },
  choose_partnership_type: {
    params: [],
    en: 'Watch the information video, then choose the partnership type',
  },
  create_billing_account: { params: [], en: 'Create the billing account' },
  correct_billing_account: {
    params: ['reason'],
    en: 'Correct the billing account: {{reason}}',
  },
  await_billing_verification: {
    params: [],
    en: 'Wait for the billing verification (it takes a few days)',
  },
  manager_review: { params: [], en: 'A partner manager reviews the application' },
  decided: { params: [], en: 'Decided' },
  partner_portal_open: { params: [], en: 'Partner status granted: the partner portal is open' },
  rejected: { params: [], en: 'Rejected' },
  cancelled: { params: [], en: 'Cancelled by the applicant' },
  expired: { params: ['days'], en: 'Expired after {{days}} days without activity' },
} as const satisfies Record<string, { params: readonly string[]; en: string }>;

export type NextActionCode = keyof typeof NEXT_ACTION_CODES;

export const NEXT_ACTION_CODE_LIST = Object.keys(NEXT_ACTION_CODES) as [
  NextActionCode,
  ...NextActionCode[],
];

export interface NextAction {
  code: NextActionCode;
  params: Record<string, string | number>;
}

/** The parts of an application its next action depends on. */
export interface NextActionInput {
  status: ApplicationStatus;
  step: OnboardingStep;
  /** The company card found by INN, still to be confirmed by the applicant. */
  companyUnconfirmed: boolean;
  /** Set when the billing system refused the created billing account. */
  billingRejectionReason: string | null;
}

const BY_STEP: Record<OnboardingStep, NextActionCode> = {
  start: 'start_application',
  sign_in: 'sign_in',
  application: 'enter_application',
  partnership_type: 'choose_partnership_type',
  billing_account: 'create_billing_account',
  manager_review: 'manager_review',
  decision: 'decided',
};

const BY_STATUS: Partial<Record<ApplicationStatus, NextActionCode>> = {
  awaiting_billing_verification: 'await_billing_verification',
  approved: 'partner_portal_open',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/** The application's next action: its final status first, then what its step still needs. */
export function nextActionOf(input: NextActionInput): NextAction {
  const { status, step } = input;
  if (status === 'expired') return { code: 'expired', params: { days: APPLICANT_INACTIVITY_DAYS } };
  const byStatus = BY_STATUS[status];
  if (byStatus) return { code: byStatus, params: {} };
  if (status === 'draft' && step === 'application' && input.companyUnconfirmed) {
    return { code: 'confirm_company', params: {} };
  }
  if (status === 'draft' && step === 'billing_account' && input.billingRejectionReason !== null) {
    return { code: 'correct_billing_account', params: { reason: input.billingRejectionReason } };
  }
  return { code: BY_STEP[step], params: {} };
}

/** The English text of a next action. */
export function nextActionText(action: NextAction): string {
  return fillTemplate(NEXT_ACTION_CODES[action.code].en, action.params);
}
