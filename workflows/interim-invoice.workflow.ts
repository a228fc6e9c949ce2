import { patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { BILLING_MONTH, PARTNER_ID } from './search-attributes';
import type { SettlementActivities } from '../activities/settlement.activities';
import type { InterimInvoiceInput, InterimInvoiceResult } from './interim-invoice.contracts';

const { issueInterimInvoiceIfDue } = proxyActivities<SettlementActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Enough for any real burst; each round issues an invoice only when the threshold is reached. */
const MAX_ROUNDS = 20;
/** Release 2 (patched): the run is findable by its partner and month. */
export const INTERIM_SEARCH_PATCH = 'interim-invoice-search-attributes';

/**
 * Started after consumption arrives for a postpaid partner with a billing threshold: issues
 * interim invoices while the unbilled consumption of the month reaches the threshold
 * (SPEC §2). The database decides under a lock, so concurrent runs never bill a line twice.
 */
export async function interimInvoiceWorkflow(
  input: InterimInvoiceInput,
): Promise<InterimInvoiceResult> {
  if (patched(INTERIM_SEARCH_PATCH)) {
    upsertSearchAttributes([
      { key: PARTNER_ID, value: input.partnerId },
      { key: BILLING_MONTH, value: input.month },
    ]);
  }
  const invoices: InterimInvoiceResult['invoices'] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const issued = await issueInterimInvoiceIfDue(input);
    if (!issued) break;
    invoices.push(issued);
  }
  return { invoices };
}
