// Every workflow the worker registers. The worker bundles this file.
export { partnerOnboardingWorkflow } from './partner-onboarding.workflow';
export { monthCloseWorkflow } from './month-close.workflow';
export { interimInvoiceWorkflow } from './interim-invoice.workflow';
export { partnerExitWorkflow } from './partner-exit.workflow';
export { partnerRevocationWorkflow } from './partner-revocation.workflow';
export { registrationReviewWorkflow } from './registration-review.workflow';
export { presaleRequestWorkflow } from './presale-request.workflow';
