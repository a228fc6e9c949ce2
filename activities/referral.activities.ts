import { Context } from '@temporalio/activity';
import { referralStatement, type ReferralConsumption } from '../domain/referral';
import { monthlyRate, type RateSchedule } from '../domain/settlement';
import type { ReferralRepository } from '../prisma/repositories/referral.repository';
import type { ClosePlan } from '../prisma/repositories/settlement.repository';

/** The statement's lines from the consumption, each month at the rate in force for it. */
function buildStatement(month: string, consumption: ReferralConsumption[], rates: RateSchedule) {
  return referralStatement({
    month,
    consumption,
    rateFor: (forMonth) => monthlyRate(rates, forMonth, 'referral commission rate'),
  });
}

export interface CommissionBatchResult {
  settled: number;
  created: number;
}

/**
 * Referral commissions (SPEC §3) in the month close and in the final settlement. Each
 * statement is unique per partner-month and kind in the database, so a retried or repeated
 * batch changes nothing.
 */
export function createReferralActivities(deps: {
  referrals: ReferralRepository;
  now?: () => Date;
}) {
  const { referrals } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async listReferralPartners(input: {
      month: string;
      after: string | null;
      limit: number;
    }): Promise<string[]> {
      return referrals.referralPartners(input.month, input.after, input.limit);
    },

    /** Accrues a batch of referral partners' commissions for the close's month. */
    async settleReferralPartners(input: {
      plan: ClosePlan;
      partnerIds: string[];
    }): Promise<CommissionBatchResult> {
      // A rerun of a completed close adds nothing, not even a 0.00 statement for a partner
      // who joined since.
      if (input.plan.status === 'completed') return { settled: 0, created: 0 };
      const rates = await referrals.rateSchedule();
      let settled = 0;
      let created = 0;
      for (const partnerId of input.partnerIds) {
        const partner = await referrals.commissionPartner(partnerId);
        if (!partner) continue;
        const basis = await referrals.basis(partnerId, input.plan.month);
        const consumption = await referrals.monthlyConsumption(partner, input.plan, basis);
        settled += 1;
        Context.current().heartbeat({ settled });
        // After a final statement, a month with nothing more to pay gets no second statement.
        if (basis.finalStatementId !== null && consumption.length === 0) continue;
        const statement = buildStatement(input.plan.month, consumption, rates);
        const issued = await referrals.issueMonthlyStatement(
          partner,
          input.plan,
          basis,
          statement,
          now(),
        );
        if (issued.created) created += 1;
      }
      return { settled, created };
    },

    /** The final statement of a referral partner who left or was revoked. Idempotent. */
    async settleFinalCommission(input: { partnerId: string }): Promise<{
      month?: string;
      statement: { statementId: string; number: string; total: string } | null;
      coveredByMonthly?: string;
    }> {
      const result = await referrals.issueFinalStatement(input.partnerId, now(), buildStatement);
      if (!result) return { statement: null };
      if ('coveredBy' in result) {
        return { statement: null, month: result.month, coveredByMonthly: result.coveredBy };
      }
      return {
        month: result.month,
        statement: { statementId: result.statementId, number: result.number, total: result.total },
      };
    },
  };
}

export type ReferralActivities = ReturnType<typeof createReferralActivities>;
