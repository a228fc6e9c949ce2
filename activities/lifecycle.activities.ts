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
    }): Promise<void> {
      await deps.lifecycle.recordNotice(input.partnerId, input.noticeAt, input.exitDate);
    },
    async withdrawExitNotice(input: { partnerId: string }): Promise<void> {
      await deps.lifecycle.withdrawNotice(input.partnerId);
    },
    async completePartnerExit(input: { partnerId: string; exitDate: string }): Promise<void> {
      await deps.lifecycle.completeExit(input.partnerId, input.exitDate, now());
    },
    async revokePartner(input: {
      partnerId: string;
      reason: string;
      effectiveDate: string;
    }): Promise<void> {
      await deps.lifecycle.revoke(input.partnerId, input.reason, input.effectiveDate, now());
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
