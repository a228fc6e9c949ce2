import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle.activities';
import {
  exitSupersededSignal,
  partnerExitWorkflowId,
  type PartnerRevocationInput,
} from './contracts';

const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['DomainError'],
  },
});

/**
 * A manager revokes partner status (SPEC §4): effective at once, memberships and customer
 * links end, and an open exit notice is superseded.
 */
export async function partnerRevocationWorkflow(input: PartnerRevocationInput): Promise<void> {
  await lifecycle.revokePartner({
    partnerId: input.partnerId,
    reason: input.reason,
    effectiveDate: input.effectiveDate,
  });
  try {
    await getExternalWorkflowHandle(partnerExitWorkflowId(input.partnerId)).signal(
      exitSupersededSignal,
      {
        reason: input.reason,
      },
    );
  } catch {
    // No open notice: nothing to supersede.
  }
}
