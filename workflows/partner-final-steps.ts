import { proxyActivities } from '@temporalio/workflow';
import type { LifecycleActivities } from '../activities/lifecycle.activities';
import type { NotificationActivities } from '../activities/notifications/notification.activities';
import { NOTIFICATION_ACTIVITY_OPTIONS } from './notifications.contracts';
import type { ReferralActivities } from '../activities/referral.activities';
import type { SettlementActivities } from '../activities/settlement.activities';
import { heldPayoutNotice } from '../domain/payouts';
import type { FinalSettlementSummary } from './partner-final-steps.contracts';

const retry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;

const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { ...retry, nonRetryableErrorTypes: ['DomainError'] },
});
const settlement = proxyActivities<SettlementActivities & ReferralActivities>({
  startToCloseTimeout: '5 minutes',
  retry,
});
const notifications = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

/**
 * The steps after the partner status ended (SPEC §4), shared by exit and revocation, in
 * this order: the partial month's final settlement (VAR invoice, referral statement — its
 * rebate accruals and withdrawals to bonus included), then the rebate balance paid out to
 * the bank (or held, nothing paid, while the partner has no valid bank details: the partner's
 * notification then says what to provide), then the partner told. Every step is idempotent,
 * so a crash anywhere resumes. Holding adds no command: the workflow's history is unchanged.
 */
export async function finalSteps(partnerId: string): Promise<FinalSettlementSummary> {
  const invoice = await settlement.settleFinalMonth({ partnerId });
  const commission = await settlement.settleFinalCommission({ partnerId });
  const payout = await lifecycle.payOutRebateBalance({ partnerId });
  return {
    month: invoice.month ?? commission.month ?? null,
    invoice: invoice.invoice
      ? { number: invoice.invoice.number, payable: invoice.invoice.payable }
      : null,
    ...(invoice.coveredByMonthly ? { invoiceCoveredBy: invoice.coveredByMonthly } : {}),
    commissionStatement: commission.statement
      ? { number: commission.statement.number, total: commission.statement.total }
      : null,
    ...(commission.coveredByMonthly ? { commissionCoveredBy: commission.coveredByMonthly } : {}),
    // Histories recorded before payouts could be held carry results without a status: paid.
    rebatePayout: payout && payout.status !== 'awaiting_bank_details' ? payout.amount : null,
    ...(payout?.status === 'awaiting_bank_details'
      ? { rebateAwaitingBankDetails: { amount: payout.amount, problems: payout.problems } }
      : {}),
  };
}

/**
 * A notification to the partner organization: stored once by its key, then delivered. Returns
 * once stored, with the delivery still running: the caller awaits it before finishing, so a
 * webhook that is down never holds up an update or the exit itself.
 */
export async function notifyPartner(
  partnerId: string,
  key: string,
  kind: string,
  subject: string,
  body: string,
  payload: Record<string, unknown>,
): Promise<{ delivery: Promise<void> }> {
  const contact = await lifecycle.partnerContact({ partnerId });
  if (!contact) return { delivery: Promise.resolve() };
  const { notificationId } = await notifications.storeNotification({
    key: `partner:${partnerId}:${key}`,
    recipientType: 'partner',
    recipient: `organization:${contact.organizationId}`,
    organizationId: contact.organizationId,
    kind,
    subject,
    body,
    payload: { partnerId, ...payload },
  });
  // Delivery failures are recorded on the notification; they never undo the partner's exit.
  return {
    delivery: notifications.deliverNotification({ notificationId }).then(
      () => undefined,
      () => undefined,
    ),
  };
}

/** One sentence per document the final steps produced, for the partner's notification. */
export function describeFinal(summary: FinalSettlementSummary): string {
  const parts: string[] = [];
  if (summary.invoice) {
    parts.push(
      `Final invoice ${summary.invoice.number} for ${summary.month}: ${summary.invoice.payable} RUB payable.`,
    );
  } else if (summary.invoiceCoveredBy) {
    parts.push(`The invoice ${summary.invoiceCoveredBy} covers your last month.`);
  }
  if (summary.commissionStatement) {
    const { number, total } = summary.commissionStatement;
    parts.push(
      total === '0.00'
        ? `Final commission statement ${number}: no commission for the month.`
        : `Final commission statement ${number}: ${total} RUB paid out to your bank account.`,
    );
  } else if (summary.commissionCoveredBy) {
    parts.push(`The commission statement ${summary.commissionCoveredBy} covers your last month.`);
  }
  const held = summary.rebateAwaitingBankDetails;
  parts.push(
    held
      ? heldPayoutNotice(held.amount, held.problems)
      : summary.rebatePayout
        ? `Your rebate balance of ${summary.rebatePayout} RUB is paid out to your bank account.`
        : 'Your rebate balance was zero: nothing to pay out.',
  );
  return parts.join(' ');
}
