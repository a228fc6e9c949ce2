/**
 * Every reason the API can give for refusing a request, with the parameters it sends beside
 * it and an English template (`{{name}}` marks a parameter, as in the portal's translations).
 * A problem+json body carries the reason as `code` and the values as `params`; its `detail`
 * is the English text for logs and people reading the raw API. The portal translates by code.
 *
 * `PROBLEM_CODES` are the top-level reasons; `FIELD_CODES` the reasons of one field's problem
 * (`errors[].code`). A reason's parameters never change once deployed: add a new reason instead.
 */
interface CodeEntry {
  readonly params: readonly string[];
  readonly en: string;
}

export const PROBLEM_CODES = {
  // Categories: sent when no more specific reason applies.
  validation_failed: { params: [], en: 'The request breaks a business rule' },
  not_found: { params: [], en: 'Not found' },
  conflict: { params: [], en: 'The request conflicts with the current data' },
  forbidden: { params: [], en: 'Not allowed for your role' },
  invalid_state: { params: [], en: 'Not allowed in the current state' },
  unavailable: { params: [], en: 'The service is unavailable; try again later' },

  // HTTP level.
  bad_request: { params: [], en: 'The request is not valid' },
  unauthorized: { params: [], en: 'Sign in again: the token is missing, invalid or expired' },
  role_forbidden: {
    params: ['roles', 'role'],
    en: 'This operation is for the roles {{roles}}; your token has role {{role}}',
  },
  malformed_json: { params: [], en: 'The request body is not valid JSON' },
  payload_too_large: { params: [], en: 'The request body exceeds the size limit' },
  rate_limited: {
    params: ['seconds'],
    en: 'Too many requests; try again in {{seconds}} s',
  },
  unsupported_media_type: { params: [], en: 'Send the body as application/json' },
  dependency_unavailable: {
    params: ['dependency'],
    en: '{{dependency}} is unavailable; try again in a few seconds',
  },
  route_not_found: { params: ['method', 'path'], en: 'No route for {{method}} {{path}}' },
  method_not_allowed: {
    params: ['method', 'allowed'],
    en: '{{method}} is not allowed here; allowed: {{allowed}}',
  },
  internal_error: { params: [], en: 'Something went wrong; it has been logged' },

  // Business refusals.
  approval_breaks_rules: { params: [], en: 'The approval breaks the program rules' },
  application_busy: {
    params: [],
    en: 'Another change to this application is in progress; try again',
  },
  application_wrong_step: {
    params: ['step', 'current', 'status'],
    en: 'This can be done at the step "{{step}}"; the application is at "{{current}}" ({{status}})',
  },
  billing_account_chosen: {
    params: [],
    en: 'The billing account has been chosen and cannot be changed',
  },
  no_company_card: { params: [], en: 'There is no company card to confirm' },
  company_details_first: { params: [], en: 'Company and contact details come first' },
  application_not_in_review: {
    params: ['status'],
    en: 'Only an application in review can be decided; this one is {{status}}',
  },
  application_incomplete: { params: [], en: 'The application is incomplete' },
  exit_notice_not_withdrawable: {
    params: ['status'],
    en: 'The notice can no longer be withdrawn (it is {{status}})',
  },
  exit_date_mismatch: {
    params: ['exitDate', 'exitAt'],
    en: 'The exit time {{exitAt}} does not match the exit date {{exitDate}} (00:00 Moscow time)',
  },
  billing_account_locked: {
    params: [],
    en: 'The billing account is being changed by another request; try again in a moment',
  },
  organization_is_partner_already: {
    params: [],
    en: 'The organization already holds a partner record of another application',
  },
  closed_period: { params: ['field'], en: 'The date of {{field}} falls in a closed month' },
  close_out_of_order: {
    params: ['month'],
    en: '{{month}} has consumption and is not closed; months close in order, close {{month}} first',
  },
  later_month_closed: {
    params: ['closedMonth', 'month'],
    en: '{{closedMonth}} is already closed, so {{month}} counts as closed: its late consumption is billed as adjustments on the next close',
  },
  no_month_closable: {
    params: ['from'],
    en: 'No month can be closed yet: the program starts in {{from}} and its first month has not ended',
  },
  month_out_of_range: {
    params: ['month', 'from', 'to'],
    en: 'Month {{month}} cannot be closed: it must be a month from {{from}} to {{to}}',
  },
  month_before_program: {
    params: ['month', 'from'],
    en: 'Month {{month}} is before the program’s first month {{from}}',
  },
  presale_move_not_allowed: {
    params: ['from', 'to'],
    en: 'A request that is {{from}} cannot become {{to}}',
  },
  presale_already_assigned: {
    params: ['assignee'],
    en: 'The request is already assigned to {{assignee}}',
  },
  application_already_decided: { params: ['status'], en: 'The application is already {{status}}' },
  application_not_found: { params: ['applicationId'], en: 'No application {{applicationId}}' },
  bank_details_invalid: { params: [], en: 'The bank details are not valid' },
  billing_account_in_use: {
    params: ['billingAccountId'],
    en: 'Billing account {{billingAccountId}} is already used by another application',
  },
  billing_account_not_found: {
    params: ['billingAccountId'],
    en: 'No billing account {{billingAccountId}}',
  },
  changed_meanwhile: { params: [], en: 'It changed meanwhile; read it again and retry' },
  close_status_unknown: {
    params: ['month'],
    en: 'Month {{month}} has no close recorded and its status cannot be read now; try again',
  },
  commission_statement_not_found: {
    params: ['statementId'],
    en: 'No commission statement {{statementId}}',
  },
  company_not_active: { params: ['inn'], en: 'The company with INN {{inn}} is not active' },
  company_not_in_registry: { params: ['inn'], en: 'No company with INN {{inn}} in the registry' },
  consumption_lines_invalid: {
    params: ['problems', 'lines'],
    en: '{{problems}} problem(s) in {{lines}} line(s); nothing was stored',
  },
  customer_already_attributed: {
    params: ['accountId', 'since'],
    en: 'Customer {{accountId}} was already attributed to another partner on {{since}}',
  },
  customer_inn_invalid: { params: ['inn'], en: "The customer's INN {{inn}} is not valid" },
  customer_is_partner: {
    params: ['accountId'],
    en: 'Billing account {{accountId}} belongs to a partner; partners cannot be referred',
  },
  customer_is_var_subaccount: {
    params: ['accountId'],
    en: 'Billing account {{accountId}} is a customer subaccount of a VAR partner and cannot be referred',
  },
  customer_taken: { params: [], en: 'The customer is already registered by another partner' },
  deal_already_ended: {
    params: ['endDate'],
    en: 'The deal already ended on {{endDate}}; an ended deal is not extended, register a new one',
  },
  deal_customer_linked: {
    params: ['dealId', 'from'],
    en: 'The customer is linked to another partner by deal {{dealId}} from {{from}}',
  },
  deal_not_extendable: { params: [], en: 'Only an approved, unexpired deal is extended' },
  deal_not_found: { params: ['dealId'], en: 'No deal {{dealId}}' },
  deal_not_renewable: {
    params: ['status'],
    en: 'The registration is {{status}}: only an approved or expired deal is renewed',
  },
  exit_date_invalid: {
    params: ['exitDate'],
    en: 'The exit date {{exitDate}} is not a real calendar date',
  },
  exit_date_too_early: {
    params: ['exitDate', 'earliest', 'days'],
    en: 'The exit date {{exitDate}} is too early: it must be on or after {{earliest}} ({{days}} days after the notice)',
  },
  exit_notice_open: { params: [], en: 'An exit notice is already open' },
  idempotency_key_reused: {
    params: [],
    en: 'This idempotency key was used for a different request; use a new key for a new withdrawal',
  },
  invoice_not_found: { params: ['invoiceId'], en: 'No invoice {{invoiceId}}' },
  month_not_closed: { params: ['month'], en: 'Month {{month}} has not been closed' },
  negative_payable: {
    params: ['month', 'payable'],
    en: 'Settlement of {{month}} came to a negative payable {{payable}}',
  },
  no_application_for_billing_account: {
    params: ['billingAccountId'],
    en: 'No application waits for billing account {{billingAccountId}}',
  },
  no_exit_notice: { params: [], en: 'There is no open exit notice' },
  not_a_partner: { params: [], en: 'Your organization is not a partner' },
  not_in_referral_program: {
    params: [],
    en: 'Your organization is not in the referral program: only referral partners have a referral link',
  },
  not_in_var_program: { params: [], en: 'The partner is not in the VAR program' },
  not_your_customer: { params: ['accountId'], en: 'No customer {{accountId}} of yours' },
  not_your_customers_cloud: { params: [], en: 'Not a cloud or folder of your customers' },
  notice_time_invalid: { params: [], en: 'The notice time is not a valid ISO instant' },
  only_deal_renewed: { params: [], en: 'Only a deal is renewed; a project runs 12 months' },
  organization_is_partner: {
    params: ['organizationId', 'partnerId', 'status'],
    en: 'Organization {{organizationId}} is already a partner (status {{status}}); it can apply again once it has left the program',
  },
  partner_left_no_withdrawals: {
    params: ['status'],
    en: 'The partner status is {{status}}: the rebate balance was paid out on leaving, and no withdrawals can be made',
  },
  partner_not_found: { params: ['partnerId'], en: 'No partner {{partnerId}}' },
  partner_status_forbids_presale: {
    params: ['status'],
    en: "The partner's status is {{status}}: it can no longer ask for presale experts",
  },
  partner_status_forbids_registration: {
    params: ['status'],
    en: "Nothing more can be registered: the partner's status is {{status}}",
  },
  partner_status_forbids_specialization: {
    params: ['status'],
    en: "The partner's status is {{status}}: it cannot apply for or be granted a specialization",
  },
  partner_transition_not_allowed: {
    params: ['event', 'status'],
    en: 'Cannot {{event}}: the partner status is {{status}}',
  },
  partner_user_only: { params: [], en: 'Only a partner user can apply' },
  payout_needs_leaving: {
    params: ['status'],
    en: 'The rebate balance is paid out on leaving; the partner is {{status}}',
  },
  presale_request_closed: {
    params: ['status'],
    en: 'The request is {{status}}: it takes no more comments; submit a new request',
  },
  presale_request_not_found: { params: ['requestId'], en: 'No presale request {{requestId}}' },
  previous_application_finishing: {
    params: [],
    en: 'The previous application is still finishing; try again in a minute',
  },
  project_overlaps: {
    params: [],
    en: 'A registered project already earns a rebate on this consumption in overlapping months',
  },
  referral_input_invalid: { params: [], en: 'The referral commission input is not valid' },
  referral_link_inactive: {
    params: ['code'],
    en: 'The referral link {{code}} is no longer active',
  },
  referral_link_not_found: { params: ['code'], en: 'No referral link {{code}}' },
  registration_already_decided: {
    params: ['status'],
    en: 'The registration is already {{status}}',
  },
  registration_not_found: { params: ['registrationId'], en: 'No registration {{registrationId}}' },
  registration_status_forbids: { params: ['status'], en: 'The registration is {{status}}' },
  registry_unavailable: {
    params: [],
    en: 'The company registry is unavailable; try again in a minute',
  },
  signup_in_future: { params: [], en: 'The sign-up time is in the future' },
  specialization_application_decided: {
    params: ['status'],
    en: 'The application is already {{status}}; only an open application can be granted or refused',
  },
  specialization_application_not_found: {
    params: ['applicationId'],
    en: 'No specialization application {{applicationId}}',
  },
  specialization_application_open: {
    params: ['code'],
    en: 'An application for {{code}} is open already: wait for its decision',
  },
  specialization_ended: {
    params: ['endDate'],
    en: 'The specialization already ended on {{endDate}}; grant it again instead',
  },
  specialization_held: {
    params: ['code', 'validFrom'],
    en: 'The partner already holds {{code}} (from {{validFrom}})',
  },
  specialization_not_found: {
    params: ['specializationId'],
    en: 'No specialization {{specializationId}}',
  },
  specialization_not_in_catalogue: {
    params: ['code', 'validFrom'],
    en: 'The catalogue has no version of {{code}} on {{validFrom}}',
  },
} as const satisfies Record<string, CodeEntry>;

export const FIELD_CODES = {
  // From the request schemas (zod issues).
  required: { params: [], en: 'is required' },
  invalid_type: { params: ['expected'], en: 'must be a {{expected}}' },
  too_small: { params: ['minimum', 'origin'], en: 'is too small: at least {{minimum}}' },
  too_big: { params: ['maximum', 'origin'], en: 'is too big: at most {{maximum}}' },
  invalid_format: { params: ['format'], en: 'must be a valid {{format}}' },
  invalid_value: { params: ['values'], en: 'must be one of {{values}}' },
  unrecognized_keys: { params: ['keys'], en: 'has unknown keys: {{keys}}' },
  custom: { params: [], en: 'is not valid' },
  not_multiple_of: { params: ['divisor'], en: 'must be a multiple of {{divisor}}' },

  // Business rules on one field.
  bank_details_needed: {
    params: [],
    en: 'a payout to the bank needs valid bank details; withdraw to Bonus instead, or give the bank details first',
  },
  exceeds_balance: {
    params: ['balance'],
    en: 'the rebate balance is {{balance}}: at most that can be withdrawn',
  },
  notice_too_short: {
    params: ['earliest', 'days'],
    en: 'must be on or after {{earliest}} ({{days}} days after the notice)',
  },
  digits_only: { params: [], en: 'must contain digits only' },
  length_exact: { params: ['length'], en: 'must be {{length}} characters long' },
  inn_length: {
    params: [],
    en: 'must be 10 digits (legal entity) or 12 digits (individual entrepreneur)',
  },
  check_digit: { params: [], en: 'check digit does not match' },
  account_key: { params: [], en: 'control key does not match the BIK' },
  bik_invalid: { params: [], en: 'cannot be checked: the BIK is not valid' },
  in_future: { params: [], en: 'must not be in the future' },
  customer_or_inn: {
    params: [],
    en: 'give either one of your customers or the customer’s INN',
  },
  company_not_active: { params: [], en: 'belongs to a company that is not active' },
  customer_taken: { params: [], en: 'the customer is already registered by another partner' },
  not_for_cloud_project: { params: [], en: 'must be left out for a whole-cloud project' },
  date_in_past: { params: ['today'], en: 'must not be in the past (today is {{today}} in Moscow)' },
  not_a_specialization_date: {
    params: ['code', 'date'],
    en: 'the catalogue has no version of {{code}} on {{date}}',
  },
  must_be_positive: { params: [], en: 'must be greater than 0' },
  month_not_allowed: { params: [], en: 'is not a month this can be done for' },
  date_in_closed_month: {
    params: ['date', 'month', 'firstOpen'],
    en: '{{date}} falls in {{month}}, which is closed; the first open date is {{firstOpen}}',
  },
  end_in_closed_month: {
    params: ['date', 'month', 'firstOpen', 'earliest'],
    en: '{{date}} would end it inside {{month}}, which is closed; the earliest end is {{earliest}}',
  },
  account_without_inn: { params: [], en: 'the account has no company INN' },
  application_open: { params: [], en: 'has an open application already' },
  bank_details_required: {
    params: [],
    en: 'the referral program requires bank details (BIK and settlement account)',
  },
  before_start: { params: ['start'], en: 'must not be before the start date {{start}}' },
  billing_account_foreign: {
    params: [],
    en: 'this billing account belongs to another organization',
  },
  billing_account_in_use: {
    params: [],
    en: 'this billing account is already used by another application',
  },
  billing_account_not_business: {
    params: [],
    en: 'must be a business account (legal entity or individual entrepreneur)',
  },
  billing_account_not_invoice: {
    params: [],
    en: 'the payment method must be invoice / wire transfer',
  },
  billing_account_not_resident: {
    params: [],
    en: 'the owner must be a resident of the Russian Federation',
  },
  conflicts: { params: [], en: 'conflicts with an existing record' },
  customer_attributed: { params: [], en: 'is already attributed to another partner' },
  customer_is_partner: { params: [], en: 'is a partner’s own billing account' },
  customer_is_var_subaccount: { params: [], en: 'is a VAR partner’s customer subaccount' },
  deal_only: { params: [], en: 'belongs to a deal, not a project' },
  duplicate: { params: ['value'], en: '{{value}} is listed twice' },
  month_after: { params: ['month'], en: 'must be {{month}} or an earlier month (YYYY-MM)' },
  not_in_catalogue: {
    params: ['code', 'date'],
    en: '{{code}} is not a specialization of the catalogue on {{date}}',
  },
  not_in_registry: { params: [], en: 'is not in the state company registry' },
  not_your_customer: { params: [], en: 'is not one of your customers' },
  not_your_customers_cloud: { params: [], en: 'has no consumption of any of your customers' },
  not_your_project: { params: [], en: 'is not one of your registered projects' },
  out_of_range: { params: [], en: 'must lie between 0 and the video duration' },
  project_only: { params: [], en: 'belongs to a project, not a deal' },
  project_overlaps: { params: [], en: 'overlaps a registered project' },
  referral_link_inactive: { params: [], en: 'the referral link is no longer active' },
  referral_program_closed: {
    params: [],
    en: 'the referral program no longer accepts new partners; choose VAR',
  },
  specialization_held: { params: ['since'], en: 'is held already, from {{since}}' },
  too_few_engineers: {
    params: ['minimum', 'given'],
    en: 'the specialization requires at least {{minimum}} certified engineers; the application names {{given}}',
  },
  unknown_billing_account: {
    params: ['billingAccountId'],
    en: 'no billing account {{billingAccountId}}',
  },
  unknown_referral_code: { params: [], en: 'is not a referral code of any partner' },
  unknown_service: { params: ['serviceId'], en: 'no service {{serviceId}} in the catalogue' },
  video_not_watched: {
    params: [],
    en: 'watch the information video to the end before choosing the partnership type',
  },
  whole_number: { params: [], en: 'must be a whole number, zero or more' },
  idempotency_key_reused: {
    params: [],
    en: 'this key was used for a different request; use a new key for a new request',
  },
} as const satisfies Record<string, CodeEntry>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
export type FieldCode = keyof typeof FIELD_CODES;

type ParamNames<E extends CodeEntry> = E['params'][number];
type Values<N extends string> = { readonly [K in N]: string | number };

/** A top-level reason and exactly the parameters its catalogue entry names. */
export type ProblemReason = {
  [C in ProblemCode]: [ParamNames<(typeof PROBLEM_CODES)[C]>] extends [never]
    ? { reason: C; params?: Values<never> }
    : { reason: C; params: Values<ParamNames<(typeof PROBLEM_CODES)[C]>> };
}[ProblemCode];

/** A field-level reason and exactly the parameters its catalogue entry names. */
export type FieldReason = {
  [C in FieldCode]: [ParamNames<(typeof FIELD_CODES)[C]>] extends [never]
    ? { code: C; params?: Values<never> }
    : { code: C; params: Values<ParamNames<(typeof FIELD_CODES)[C]>> };
}[FieldCode];

export function isProblemCode(code: string): code is ProblemCode {
  return Object.prototype.hasOwnProperty.call(PROBLEM_CODES, code);
}

export function isFieldCode(code: string): code is FieldCode {
  return Object.prototype.hasOwnProperty.call(FIELD_CODES, code);
}

/**
 * A reason carried across the workflow boundary (a failure's `details[1]`), checked against
 * the catalogue: anything else is dropped and the problem falls back to its category.
 */
export function carriedReason(value: unknown): ProblemReason | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { reason, params } = value as { reason?: unknown; params?: unknown };
  if (typeof reason !== 'string' || !isProblemCode(reason)) return undefined;
  const carried: Record<string, string | number> = {};
  if (typeof params === 'object' && params !== null) {
    for (const [name, v] of Object.entries(params)) {
      if (typeof v === 'string' || typeof v === 'number') carried[name] = v;
    }
  }
  return { reason, params: carried } as ProblemReason;
}
