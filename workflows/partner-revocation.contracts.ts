/** Contracts of a manager's revocation of partner status (SPEC §4). */
export const PARTNER_REVOCATION_WORKFLOW_TYPE = 'partnerRevocationWorkflow';

export function partnerRevocationWorkflowId(partnerId: string): string {
  return `partner-revocation:${partnerId}`;
}

export interface PartnerRevocationInput {
  partnerId: string;
  reason: string;
  revokedBy: string;
  /** Moscow date the revocation takes effect (the day it is decided). */
  effectiveDate: string;
}
