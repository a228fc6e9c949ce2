import { DomainError, fieldError } from '../../../domain/errors';
import { Money, parseMoney } from '../../../domain/money';
import { monthInMoscow } from '../../../domain/settlement/periods';
import type { BillingAccountRepository } from '../../../prisma/repositories/billing-account.repository';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type {
  RebateRepository,
  WithdrawalTarget,
} from '../../../prisma/repositories/rebate.repository';
import type { Principal } from '../../http/auth';

/** The largest single withdrawal the API accepts, in rubles. */
export const MAX_WITHDRAWAL = '1000000000.00';

export interface RebateServiceDeps {
  rebates: RebateRepository;
  partners: PartnerRepository;
  billingAccounts: BillingAccountRepository;
  now?: () => Date;
}

/** The rebate accrual balance and its withdrawals (SPEC §2), as the API offers them. */
export function createRebateService(deps: RebateServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal) {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  async function view(partnerId: string, limit: number) {
    const entries = await deps.rebates.ledger(partnerId, { limit });
    // The newest entry carries the balance, read in the same query as the entries.
    return { partnerId, balance: entries[0]?.balanceAfter ?? '0.00', entries };
  }

  /** The route's schema checks the form; this is the rule, restated where the money is. */
  function checkAmount(text: string): string {
    let amount: Money;
    try {
      amount = parseMoney(text);
    } catch {
      throw fieldError(
        'amount',
        'must be an amount in rubles with at most two decimals',
        'invalid_format',
        {
          format: 'amount',
        },
      );
    }
    if (!amount.gt(0)) throw fieldError('amount', 'must be greater than 0', 'must_be_positive');
    if (amount.gt(MAX_WITHDRAWAL))
      throw fieldError('amount', `must be at most ${MAX_WITHDRAWAL}`, 'too_big', {
        maximum: MAX_WITHDRAWAL,
        origin: 'amount',
      });
    return amount.toFixed(2);
  }

  return {
    async myRebates(principal: Principal, options: { limit: number }) {
      const partner = await partnerOf(principal);
      return view(partner.id, options.limit);
    },

    async partnerRebates(partnerId: string, options: { limit: number }) {
      const partner = await deps.partners.findById(partnerId);
      if (!partner)
        throw new DomainError('not_found', `No partner ${partnerId}`, [], {
          reason: 'partner_not_found',
          params: { partnerId },
        });
      return view(partner.id, options.limit);
    },

    /**
     * Withdraws from the caller's rebate balance. To Bonus it reduces the invoice of the
     * current month (Moscow time); to the bank it pays out to the bank details of the
     * partner's billing account.
     */
    async withdraw(
      principal: Principal,
      request: { amount: string; target: WithdrawalTarget; idempotencyKey: string },
    ) {
      const partner = await partnerOf(principal);
      const amount = checkAmount(request.amount);
      const bank =
        request.target === 'bank'
          ? ((await deps.billingAccounts.findById(partner.billingAccountId))?.bankDetails ?? null)
          : null;
      return deps.rebates.withdraw({
        partnerId: partner.id,
        clientKey: request.idempotencyKey,
        target: request.target,
        amount,
        month: request.target === 'bonus' ? monthInMoscow(now().toISOString()) : null,
        requestedBy: principal.subject,
        bank,
      });
    },
  };
}

export type RebateService = ReturnType<typeof createRebateService>;
