import type { FinalPayoutResult } from '../prisma/repositories/payout.repository';
import type { LifecycleRepository } from '../prisma/repositories/lifecycle.repository';

/** Partner status changes; each idempotent (a repeat after a crash changes nothing). */
export function createLifecycleActivities(deps: {
  lifecycle: LifecycleRepository;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return {
    async recordExitNotice(input: {
      partnerId: string;
      noticeAt: string;
      exitDate: string;
      actor: string;
    }): Promise<void> {
      await deps.lifecycle.recordNotice(
        input.partnerId,
        input.noticeAt,
        input.exitDate,
        input.actor,
      );
    },
    async withdrawExitNotice(input: { partnerId: string; actor: string }): Promise<void> {
      await deps.lifecycle.withdrawNotice(input.partnerId, input.actor, now());
    },
    async completePartnerExit(input: { partnerId: string; exitDate: string }): Promise<void> {
      await deps.lifecycle.completeExit(input.partnerId, input.exitDate, now());
    },
    async revokePartner(input: {
      partnerId: string;
      reason: string;
      effectiveDate: string;
      actor: string;
    }): Promise<void> {
      await deps.lifecycle.revoke(
        input.partnerId,
        input.reason,
        input.effectiveDate,
        now(),
        input.actor,
      );
    },
    /**
     * After the final settlement: the rebate balance to the bank account, once; without valid
     * bank details it is recorded as awaiting them and nothing is paid (the API pays it when
     * they are given). Null when the balance is zero.
     */
    async payOutRebateBalance(input: { partnerId: string }): Promise<FinalPayoutResult | null> {
      return deps.lifecycle.payOutRebateBalance(input.partnerId, now());
    },
    /** Where the partner's notifications go. */
    async partnerContact(input: {
      partnerId: string;
    }): Promise<{ organizationId: string; name: string } | null> {
      const contact = await deps.lifecycle.contact(input.partnerId);
      return contact ? { organizationId: contact.organizationId, name: contact.name } : null;
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
