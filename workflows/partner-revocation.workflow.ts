import {
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle.activities';
import { exitSupersededSignal, partnerExitWorkflowId } from './partner-exit.contracts';
import type { FinalSettlementSummary } from './partner-final-steps.contracts';
import type { PartnerRevocationInput } from './partner-revocation.contracts';
import { describeFinal, finalSteps, notifyPartner } from './partner-final-steps';
import { PARTNER_ID } from './search-attributes';

/** Release 2 (patched): the run is findable by its partner (PartnerId). */
export const REVOCATION_SEARCH_PATCH = 'revocation-search-attributes';

const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['DomainError'],
  },
});

/**
 * A manager revokes partner status (SPEC §4): effective at once, an open exit notice is
 * superseded, then the same final steps as an exit: the partial month's settlement, the
 * rebate balance paid out, the partner told.
 */
export async function partnerRevocationWorkflow(
  input: PartnerRevocationInput,
): Promise<FinalSettlementSummary> {
  if (patched(REVOCATION_SEARCH_PATCH)) {
    upsertSearchAttributes([{ key: PARTNER_ID, value: input.partnerId }]);
  }
  await lifecycle.revokePartner({
    partnerId: input.partnerId,
    reason: input.reason,
    effectiveDate: input.effectiveDate,
    actor: input.revokedBy,
  });
  try {
    await getExternalWorkflowHandle(partnerExitWorkflowId(input.partnerId)).signal(
      exitSupersededSignal,
      { reason: input.reason },
    );
  } catch {
    // No open notice: nothing to supersede.
  }
  const final = await finalSteps(input.partnerId);
  const { delivery } = await notifyPartner(
    input.partnerId,
    'revoked',
    'partner_revoked',
    'Your partner status is revoked',
    `Your partner status is revoked as of ${input.effectiveDate} for non-compliance with the partner agreement: ${input.reason}. ${describeFinal(final)}`,
    { effectiveDate: input.effectiveDate, reason: input.reason, final },
  );
  await delivery;
  return final;
}
