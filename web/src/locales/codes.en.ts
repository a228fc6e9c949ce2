/**
 * The codes the API sends, in English: every status and kind (`enum.<family>.<value>`), the
 * application's next action (`next.<code>`), each invoice line's description and rule
 * (`line.<kind>.description|rule`), problems (`problem.<code>`), field problems
 * (`field.<code>`), form fields by their API path (`fieldLabel.<path>`) and the generic
 * message of an HTTP status (`http.<status>`). `{{name}}` is a parameter the API sends beside
 * the code; a key ending in `_one`/`_other` is a plural chosen by `count`.
 */
export const codesEn: Record<string, string> = {
  // statuses
  'enum.application.draft': 'Draft',
  'enum.application.awaiting_billing_verification': 'Awaiting billing verification',
  'enum.application.in_review': 'In review',
  'enum.application.approved': 'Approved',
  'enum.application.rejected': 'Rejected',
  'enum.application.cancelled': 'Cancelled',
  'enum.application.expired': 'Expired',
  'enum.step.start': 'Start',
  'enum.step.sign_in': 'Sign-in',
  'enum.step.application': 'Application and company',
  'enum.step.partnership_type': 'Partnership type',
  'enum.step.billing_account': 'Billing account',
  'enum.step.manager_review': 'Manager review',
  'enum.step.decision': 'Decision',
  'enum.partner.active': 'Partner',
  'enum.partner.leaving': 'Leaving',
  'enum.partner.left': 'Left the program',
  'enum.partner.revoked': 'Status revoked',
  'enum.company.active': 'Operating',
  'enum.company.liquidating': 'Being liquidated',
  'enum.company.liquidated': 'Liquidated',
  'enum.companyKind.legal_entity': 'Legal entity',
  'enum.companyKind.individual_entrepreneur': 'Individual entrepreneur',
  'enum.verification.not_requested': 'Not requested',
  'enum.verification.pending': 'Being checked by billing',
  'enum.verification.approved': 'Verified',
  'enum.verification.rejected': 'Refused by billing',
  'enum.decision.approved': 'Approved',
  'enum.decision.rejected': 'Rejected',
  'enum.registration.pending': 'Pending review',
  'enum.registration.approved': 'Approved',
  'enum.registration.rejected': 'Rejected',
  'enum.registration.expired': 'Expired',
  'enum.registrationKind.deal': 'Deal',
  'enum.registrationKind.project': 'Project',
  'enum.specialization.open': 'Open',
  'enum.specialization.granted': 'Granted',
  'enum.specialization.refused': 'Refused',
  'enum.presale.new': 'New',
  'enum.presale.assigned': 'Assigned',
  'enum.presale.in_progress': 'In progress',
  'enum.presale.done': 'Done',
  'enum.presale.declined': 'Declined',
  'enum.invoiceKind.monthly': 'Monthly',
  'enum.invoiceKind.interim': 'Interim',
  'enum.invoiceKind.final': 'Final',
  'enum.statementKind.monthly': 'Monthly',
  'enum.statementKind.final': 'Final (on leaving)',
  'enum.close.running': 'Running',
  'enum.close.completed': 'Completed',
  'enum.program.var': 'Reseller (VAR)',
  'enum.program.referral': 'Referral',
  'enum.payout.awaiting_bank_details': 'Awaiting bank details',
  'enum.payout.payable': 'To be paid',
  'enum.payout.paid': 'Paid',
  'enum.payoutKind.rebate_withdrawal': 'Rebate withdrawal to the bank',
  'enum.payoutKind.commission': 'Referral commission',
  'enum.payoutKind.final_payout': 'Final payout on leaving',
  'enum.ledgerKind.project_rebate': 'Project rebate',
  'enum.ledgerKind.specialization_rebate': 'Specialization rebate',
  'enum.ledgerKind.withdrawal_to_bonus': 'Withdrawn to the invoice',
  'enum.ledgerKind.withdrawal_to_bank': 'Withdrawn to the bank',
  'enum.ledgerKind.final_payout': 'Final payout',
  'enum.rebateKind.project_growth': 'Project growth',
  'enum.rebateKind.specialization': 'Specialization',
  'enum.exitNotice.notice_open': 'Notice given',
  'enum.exitNotice.withdrawn': 'Notice withdrawn',
  'enum.exitNotice.superseded': 'Superseded by a revocation',
  'enum.exitNotice.exited': 'Left the program',
  'enum.billingAccount.trial': 'Trial',
  'enum.billingAccount.paid': 'Paid',
  'enum.accountType.business': 'Business',
  'enum.accountType.individual_entrepreneur': 'Individual entrepreneur',
  'enum.accountType.individual': 'Individual',
  'enum.identityMethod.existing_account': 'An existing cloud account',
  'enum.identityMethod.new_id': 'A new ID',
  'enum.identityMethod.sso_federation': 'SSO federation',
  'enum.taxationType.general_with_vat': 'General, with VAT',
  'enum.taxationType.simplified': 'Simplified',
  'enum.taxationType.patent': 'Patent',
  'enum.taxationType.unified_agricultural': 'Unified agricultural tax',
  'enum.companySize.1-10': '1–10',
  'enum.companySize.11-50': '11–50',
  'enum.companySize.51-250': '51–250',
  'enum.companySize.251+': 'over 250',
  'enum.accountSource.existing': 'An existing account of the organization',
  'enum.accountSource.created': 'Created during the application',
  'enum.scope.cloud': 'Whole cloud',
  'enum.scope.folder': 'Folder in a cloud',
  'enum.target.bonus': 'Bonus (reduces this month’s invoice)',
  'enum.target.bank': 'Bank account',
  'enum.authorRole.partner': 'partner',
  'enum.authorRole.staff': 'staff',
  'enum.recipientType.applicant': 'Applicant',
  'enum.recipientType.manager': 'Manager',
  'enum.recipientType.supervisor': 'Supervisor',
  'enum.recipientType.partner': 'Partner',
  'enum.role.partner': 'Partner',
  'enum.role.manager': 'Partner manager',
  'enum.role.finance': 'Finance',
  'enum.role.billing-system': 'Billing system',
  'enum.role.presale': 'Presale expert',
  'enum.paymentMethod.invoice': 'By invoice',
  'enum.paymentMethod.card': 'By card',
  'enum.reconciliation.own_month': 'The month’s own invoice',
  'enum.reconciliation.adjustment': 'Adjustment in a later invoice',
  'enum.queueKind.application': 'Application',
  'enum.queueKind.deal': 'Deal',
  'enum.queueKind.project': 'Project',
  'enum.queueKind.specialization': 'Specialization',
  'enum.queueKind.presale': 'Presale',
  'enum.document.act': 'Act',
  'enum.document.payment-invoice': 'Payment invoice',
  'enum.document.vat-invoice': 'VAT invoice',
  'enum.lineKind.consumption_customers': 'Customers’ consumption',
  'enum.lineKind.consumption_own': 'Own consumption',
  'enum.lineKind.grants': 'Grants',
  'enum.lineKind.base_bonus': 'Base bonus',
  'enum.lineKind.deal_uplift': 'Deal uplift',
  'enum.lineKind.rebate_withdrawal': 'Rebate withdrawn to the invoice',
  'enum.lineKind.adjustment': 'Adjustment',

  // values of parameters: formats and types a field must have
  'enum.format.email': 'e-mail address',
  'enum.format.date': 'date YYYY-MM-DD',
  'enum.format.datetime': 'date and time',
  'enum.format.uuid': 'identifier',
  'enum.format.regex': 'pattern',
  'enum.format.url': 'web address',
  'enum.expected.string': 'text',
  'enum.expected.number': 'number',
  'enum.expected.boolean': 'yes or no',
  'enum.expected.array': 'list',
  'enum.expected.object': 'object',

  // an application's history: what happened (the text before ": " is the event)
  'audit.started': 'Started',
  'audit.submitted for review': 'Submitted for review',
  'audit.expired after 30 days without applicant activity':
    'Expired after 30 days without applicant activity',
  'audit.billing verification failed': 'Billing verification failed',
  'audit.escalated': 'Escalated',
  'audit.application submitted': 'Application submitted',
  'audit.company confirmed': 'Company confirmed',
  'audit.company card declined': 'Company card declined',
  'audit.information video watched': 'Information video watched',
  'audit.partnership chosen': 'Partnership chosen',
  'audit.billing account submitted for verification': 'Billing account sent for verification',
  'audit.cancelled': 'Cancelled',
  'audit.approved': 'Approved',
  'audit.rejected': 'Rejected',

  // next actions on an application
  'next.start_application': 'Start the application',
  'next.sign_in': 'Sign in',
  'next.enter_application':
    'Enter contact details and choose a billing account or enter the company INN',
  'next.confirm_company': 'Confirm the company card from the registry',
  'next.choose_partnership_type': 'Watch the information video, then choose the partnership type',
  'next.create_billing_account': 'Create the billing account',
  'next.correct_billing_account': 'Correct the billing account: {{reason}}',
  'next.await_billing_verification': 'Wait for the billing verification (it takes a few days)',
  'next.manager_review': 'A partner manager reviews the application',
  'next.decided': 'Decided',
  'next.partner_portal_open': 'Partner status granted: the partner portal is open',
  'next.rejected': 'Rejected',
  'next.cancelled': 'Cancelled by the applicant',
  'next.expired_one': 'Expired after {{days}} day without activity',
  'next.expired_other': 'Expired after {{days}} days without activity',

  // invoice lines, written from their kind and parameters
  'line.consumption_customers.description':
    'Consumption of the customer subaccounts in {{month}}, VAT included',
  'line.consumption_customers.rule':
    'All consumption of the customer subaccounts is invoiced to the partner',
  'line.consumption_own.description':
    'Consumption of the partner’s own account in {{month}}, VAT included',
  'line.consumption_own.rule':
    'The partner’s own consumption is invoiced in full and earns no bonus',
  'line.grants.description': 'Paid by grants in {{month}}',
  'line.grants.rule': 'The part of consumption paid by grants is not invoiced',
  'line.base_bonus.description':
    'Base partner bonus for {{month}}: {{percent}}% of eligible consumption {{base}}',
  'line.base_bonus.rule': '{{percent}}% base bonus on eligible consumption',
  'line.deal_uplift.description':
    'Deal {{dealId}}: +{{percent}}% on customer {{accountId}}’s eligible consumption in {{month}}: {{base}}',
  'line.deal_uplift.rule':
    '{{percent}}% deal uplift on the linked customer’s eligible consumption, on the days the link is active; when several deals link the customer on a day, only the highest rate applies',
  'line.rebate_withdrawal.description': 'Rebate withdrawn to Bonus in {{month}}',
  'line.rebate_withdrawal.rule':
    'A rebate withdrawn to Bonus reduces the payable for the customer subaccounts’ consumption in the current month, at most that amount and never more than the rebate balance',
  'line.adjustment.description':
    'Late consumption for {{forMonth}}, settled on the invoice for {{month}}',
  'line.adjustment.rule':
    'Consumption that arrives after its month was closed is settled in the next invoice at the terms of its own month (bonus rate, deal links, VAT); issued documents are never rewritten',

  // problems (top level)
  'problem.validation_failed': 'The request breaks a business rule',
  'problem.not_found': 'Not found',
  'problem.conflict': 'The request conflicts with the current data',
  'problem.forbidden': 'Not allowed for your role',
  'problem.invalid_state': 'Not allowed in the current state',
  'problem.unavailable': 'The service is unavailable; try again later',
  'problem.bad_request': 'The request is not valid',
  'problem.unauthorized': 'Sign in again: the token is missing, invalid or expired',
  'problem.role_forbidden': 'This operation is for the roles {{roles}}; your role is {{role}}',
  'problem.malformed_json': 'The request body is not valid JSON',
  'problem.payload_too_large': 'The request body exceeds the size limit',
  'problem.rate_limited': 'Too many requests; try again in {{seconds}} s',
  'problem.unsupported_media_type': 'Send the body as application/json',
  'problem.dependency_unavailable': '{{dependency}} is unavailable; try again in a few seconds',
  'problem.route_not_found': 'No such page in the API: {{method}} {{path}}',
  'problem.method_not_allowed': '{{method}} is not allowed here; allowed: {{allowed}}',
  'problem.internal_error': 'Something went wrong; it has been logged',

  'problem.approval_breaks_rules': 'The approval breaks the program rules',
  'problem.application_busy': 'Another change to this application is in progress; try again',
  'problem.application_wrong_step':
    'This can be done at the step "{{step}}"; the application is at "{{current}}" ({{status}})',
  'problem.billing_account_chosen': 'The billing account has been chosen and cannot be changed',
  'problem.no_company_card': 'There is no company card to confirm',
  'problem.company_details_first': 'Company and contact details come first',
  'problem.application_not_in_review':
    'Only an application in review can be decided; this one is {{status}}',
  'problem.application_incomplete': 'The application is incomplete',
  'problem.exit_notice_not_withdrawable':
    'The notice can no longer be withdrawn (it is {{status}})',
  'problem.exit_date_mismatch':
    'The exit time {{exitAt}} does not match the exit date {{exitDate}} (00:00 Moscow time)',
  'problem.billing_account_locked':
    'The billing account is being changed by another request; try again in a moment',
  'problem.organization_is_partner_already':
    'The organization already holds a partner record of another application',
  'problem.closed_period': 'The date of {{field}} falls in a closed month',
  'problem.close_out_of_order':
    '{{month}} has consumption and is not closed; months close in order, close {{month}} first',
  'problem.later_month_closed':
    '{{closedMonth}} is already closed, so {{month}} counts as closed: its late consumption is billed as adjustments on the next close',
  'problem.no_month_closable':
    'No month can be closed yet: the program starts in {{from}} and its first month has not ended',
  'problem.month_out_of_range':
    'Month {{month}} cannot be closed: it must be a month from {{from}} to {{to}}',
  'problem.month_before_program': 'Month {{month}} is before the program’s first month {{from}}',
  'problem.presale_move_not_allowed': 'A request that is {{from}} cannot become {{to}}',
  'problem.presale_already_assigned': 'The request is already assigned to {{assignee}}',
  'problem.application_already_decided': 'The application is already {{status}}',
  'problem.application_not_found': 'No application {{applicationId}}',
  'problem.bank_details_invalid': 'The bank details are not valid',
  'problem.billing_account_in_use':
    'Billing account {{billingAccountId}} is already used by another application',
  'problem.billing_account_not_found': 'No billing account {{billingAccountId}}',
  'problem.changed_meanwhile': 'It changed meanwhile; read it again and retry',
  'problem.close_status_unknown':
    'Month {{month}} has no close recorded and its status cannot be read now; try again',
  'problem.commission_statement_not_found': 'No commission statement {{statementId}}',
  'problem.company_not_active': 'The company with INN {{inn}} is not active',
  'problem.company_not_in_registry': 'No company with INN {{inn}} in the registry',
  'problem.consumption_lines_invalid':
    '{{problems}} problem(s) in {{lines}} line(s); nothing was stored',
  'problem.customer_already_attributed':
    'Customer {{accountId}} was already attributed to another partner on {{since}}',
  'problem.customer_inn_invalid': "The customer's INN {{inn}} is not valid",
  'problem.customer_is_partner':
    'Billing account {{accountId}} belongs to a partner; partners cannot be referred',
  'problem.customer_is_var_subaccount':
    'Billing account {{accountId}} is a customer subaccount of a VAR partner and cannot be referred',
  'problem.customer_taken': 'The customer is already registered by another partner',
  'problem.deal_already_ended':
    'The deal already ended on {{endDate}}; an ended deal is not extended, register a new one',
  'problem.deal_customer_linked':
    'The customer is linked to another partner by deal {{dealId}} from {{from}}',
  'problem.deal_not_extendable': 'Only an approved, unexpired deal is extended',
  'problem.deal_not_found': 'No deal {{dealId}}',
  'problem.deal_not_renewable':
    'The registration is {{status}}: only an approved or expired deal is renewed',
  'problem.exit_date_invalid': 'The exit date {{exitDate}} is not a real calendar date',
  'problem.exit_date_too_early':
    'The exit date {{exitDate}} is too early: it must be on or after {{earliest}} ({{days}} days after the notice)',
  'problem.exit_notice_open': 'An exit notice is already open',
  'problem.idempotency_key_reused':
    'This idempotency key was used for a different request; use a new key for a new withdrawal',
  'problem.invoice_not_found': 'No invoice {{invoiceId}}',
  'problem.month_not_closed': 'Month {{month}} has not been closed',
  'problem.negative_payable': 'Settlement of {{month}} came to a negative payable {{payable}}',
  'problem.no_application_for_billing_account':
    'No application waits for billing account {{billingAccountId}}',
  'problem.no_exit_notice': 'There is no open exit notice',
  'problem.not_a_partner': 'Your organization is not a partner',
  'problem.not_in_referral_program':
    'Your organization is not in the referral program: only referral partners have a referral link',
  'problem.not_in_var_program': 'The partner is not in the VAR program',
  'problem.not_your_customer': 'No customer {{accountId}} of yours',
  'problem.not_your_customers_cloud': 'Not a cloud or folder of your customers',
  'problem.notice_time_invalid': 'The notice time is not a valid ISO instant',
  'problem.only_deal_renewed': 'Only a deal is renewed; a project runs 12 months',
  'problem.organization_is_partner':
    'Organization {{organizationId}} is already a partner (status {{status}}); it can apply again once it has left the program',
  'problem.partner_left_no_withdrawals':
    'The partner status is {{status}}: the rebate balance was paid out on leaving, and no withdrawals can be made',
  'problem.partner_not_found': 'No partner {{partnerId}}',
  'problem.partner_status_forbids_presale':
    "The partner's status is {{status}}: it can no longer ask for presale experts",
  'problem.partner_status_forbids_registration':
    "Nothing more can be registered: the partner's status is {{status}}",
  'problem.partner_status_forbids_specialization':
    "The partner's status is {{status}}: it cannot apply for or be granted a specialization",
  'problem.partner_transition_not_allowed': 'Cannot {{event}}: the partner status is {{status}}',
  'problem.partner_user_only': 'Only a partner user can apply',
  'problem.payout_needs_leaving':
    'The rebate balance is paid out on leaving; the partner is {{status}}',
  'problem.presale_request_closed':
    'The request is {{status}}: it takes no more comments; submit a new request',
  'problem.presale_request_not_found': 'No presale request {{requestId}}',
  'problem.previous_application_finishing':
    'The previous application is still finishing; try again in a minute',
  'problem.project_overlaps':
    'A registered project already earns a rebate on this consumption in overlapping months',
  'problem.referral_input_invalid': 'The referral commission input is not valid',
  'problem.referral_link_inactive': 'The referral link {{code}} is no longer active',
  'problem.referral_link_not_found': 'No referral link {{code}}',
  'problem.registration_already_decided': 'The registration is already {{status}}',
  'problem.registration_not_found': 'No registration {{registrationId}}',
  'problem.registration_status_forbids': 'The registration is {{status}}',
  'problem.registry_unavailable': 'The company registry is unavailable; try again in a minute',
  'problem.signup_in_future': 'The sign-up time is in the future',
  'problem.specialization_application_decided':
    'The application is already {{status}}; only an open application can be granted or refused',
  'problem.specialization_application_not_found': 'No specialization application {{applicationId}}',
  'problem.specialization_application_open':
    'An application for {{code}} is open already: wait for its decision',
  'problem.specialization_ended':
    'The specialization already ended on {{endDate}}; grant it again instead',
  'problem.specialization_held': 'The partner already holds {{code}} (from {{validFrom}})',
  'problem.specialization_not_found': 'No specialization {{specializationId}}',
  'problem.specialization_not_in_catalogue':
    'The catalogue has no version of {{code}} on {{validFrom}}',

  // field problems: "<label>: <problem>"
  'field.required': 'required',
  'field.invalid_type': 'must be a {{expected}}',
  'field.too_small': 'too small: at least {{minimum}}',
  'field.too_big': 'too big: at most {{maximum}}',
  'field.invalid_format': 'invalid format ({{format}})',
  'field.invalid_value': 'must be one of {{values}}',
  'field.unrecognized_keys': 'unknown keys: {{keys}}',
  'field.custom': 'not valid',
  'field.not_multiple_of': 'must be a multiple of {{divisor}}',

  'field.must_be_positive': 'must be greater than 0',
  'field.month_not_allowed': 'is not a month this can be done for',
  'field.date_in_closed_month':
    '{{date}} falls in {{month}}, which is closed; the first open date is {{firstOpen}}',
  'field.end_in_closed_month':
    '{{date}} would end it inside {{month}}, which is closed; the earliest end is {{earliest}}',
  'field.account_without_inn': 'the account has no company INN',
  'field.application_open': 'has an open application already',
  'field.bank_details_required':
    'the referral program requires bank details (BIK and settlement account)',
  'field.before_start': 'must not be before the start date {{start}}',
  'field.billing_account_foreign': 'this billing account belongs to another organization',
  'field.billing_account_in_use': 'this billing account is already used by another application',
  'field.billing_account_not_business':
    'must be a business account (legal entity or individual entrepreneur)',
  'field.billing_account_not_invoice': 'the payment method must be invoice / wire transfer',
  'field.billing_account_not_resident': 'the owner must be a resident of the Russian Federation',
  'field.company_not_active': 'belongs to a company that is not active',
  'field.conflicts': 'conflicts with an existing record',
  'field.customer_attributed': 'is already attributed to another partner',
  'field.customer_is_partner': 'is a partner’s own billing account',
  'field.customer_is_var_subaccount': 'is a VAR partner’s customer subaccount',
  'field.customer_or_inn': 'give either one of your customers or the customer’s INN',
  'field.customer_taken': 'the customer is already registered by another partner',
  'field.date_in_past': 'must not be in the past (today is {{today}} in Moscow)',
  'field.deal_only': 'belongs to a deal, not a project',
  'field.duplicate': '{{value}} is listed twice',
  'field.in_future': 'must not be in the future',
  'field.month_after': 'must be {{month}} or an earlier month (YYYY-MM)',
  'field.not_for_cloud_project': 'must be left out for a whole-cloud project',
  'field.not_in_catalogue': '{{code}} is not a specialization of the catalogue on {{date}}',
  'field.not_in_registry': 'is not in the state company registry',
  'field.not_your_customer': 'is not one of your customers',
  'field.not_your_customers_cloud': 'has no consumption of any of your customers',
  'field.not_your_project': 'is not one of your registered projects',
  'field.out_of_range': 'must lie between 0 and the video duration',
  'field.project_only': 'belongs to a project, not a deal',
  'field.project_overlaps': 'overlaps a registered project',
  'field.referral_link_inactive': 'the referral link is no longer active',
  'field.referral_program_closed':
    'the referral program no longer accepts new partners; choose VAR',
  'field.specialization_held': 'is held already, from {{since}}',
  'field.too_few_engineers':
    'the specialization requires at least {{minimum}} certified engineers; the application names {{given}}',
  'field.unknown_billing_account': 'no billing account {{billingAccountId}}',
  'field.unknown_referral_code': 'is not a referral code of any partner',
  'field.unknown_service': 'no service {{serviceId}} in the catalogue',
  'field.video_not_watched':
    'watch the information video to the end before choosing the partnership type',
  'field.whole_number': 'must be a whole number, zero or more',
  'field.idempotency_key_reused':
    'this key was used for a different request; use a new key for a new request',

  'field.digits_only': 'must contain digits only',
  'field.length_exact': 'must be {{length}} characters long',
  'field.inn_length': 'must be 10 digits (legal entity) or 12 digits (individual entrepreneur)',
  'field.check_digit': 'check digit does not match',
  'field.account_key': 'control key does not match the BIK',
  'field.bik_invalid': 'cannot be checked: the BIK is not valid',
  'field.not_a_specialization_date': 'the catalogue has no version of {{code}} on {{date}}',

  'field.bank_details_needed':
    'a payout to the bank needs valid bank details; withdraw to Bonus instead, or give the bank details first',
  'field.exceeds_balance': 'the rebate balance is {{balance}}: at most that can be withdrawn',
  'field.notice_too_short': 'must be on or after {{earliest}} ({{days}} days after the notice)',

  // the generic message of an HTTP status, when the problem has no code the portal knows
  'http.0': 'The server cannot be reached; check the connection and try again',
  'http.400': 'The request is not valid',
  'http.401': 'Sign in again',
  'http.403': 'This page is not available for your role.',
  'http.404': 'Not found.',
  'http.409': 'The request conflicts with the current data',
  'http.413': 'The request is too large',
  'http.415': 'The request is not valid',
  'http.422': 'The request breaks a business rule',
  'http.429': 'Too many requests; try again in a minute',
  'http.500': 'Something went wrong on the server; try again later',
  'http.503': 'The service is unavailable; try again later',
  'http.other': 'The request failed',
  fieldProblem: '{{label}}: {{problem}}',
  // a referral commission statement's line, written from its month, customer and rate
  commissionLine:
    'Referral commission {{rate}} of paid consumption (grants excluded), {{forMonth}}, customer {{customer}}',
  commissionLineLate:
    'Referral commission {{rate}} of paid consumption (grants excluded), {{forMonth}}, customer {{customer}} — late consumption, settled in {{month}}',
};
