import type { FinalPayoutResult } from '../prisma/repositories/payout.repository';
import type { LifecycleRepository } from '../prisma/repositories/lifecycle.repository';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import type { ProblemReason } from '../domain/problem-codes';
import { exitDateFor } from '../domain/lifecycle';
import { ONBOARDING_FAILURES } from '../workflows/partner-onboarding.contracts';
import type { PartnerExitInput } from '../workflows/partner-exit.contracts';

/** Partner status changes; each idempotent (a repeat after a crash changes nothing). */
export function createLifecycleActivities(deps: {
  lifecycle: LifecycleRepository;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * The exit workflow checks its notice against the calendar here, not in replayed code:
     * correcting calendar data never changes what a running exit replays. A refusal is final.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async checkExitNotice(input: PartnerExitInput): Promise<void> {
      let message: string | undefined;
      let problems: DomainError['fields'] = [];
      let reason: ProblemReason = {
        reason: 'exit_date_mismatch',
        params: { exitDate: input.exitDate, exitAt: input.exitAt },
      };
      try {
        const { exitDate, exitAt } = exitDateFor({
          noticeAt: input.noticeAt,
          requestedExitDate: input.exitDate,
        });
        if (exitDate !== input.exitDate || exitAt !== input.exitAt) {
          message = `exitAt must be ${exitAt}, 00:00 Moscow time on ${exitDate}`;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        message = error.message;
        problems = error.fields;
        reason = { reason: error.reason, params: error.params } as ProblemReason;
      }
      if (message) {
        throw ApplicationFailure.create({
          type: ONBOARDING_FAILURES.validation,
          message,
          details: [problems, reason],
          nonRetryable: true,
        });
      }
    },

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
