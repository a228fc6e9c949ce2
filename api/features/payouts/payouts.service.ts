import { DomainError } from '../../../domain/errors';
import { payoutDestination } from '../../../domain/payouts';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type {
  FinalPayoutStatus,
  PayoutRepository,
} from '../../../prisma/repositories/payout.repository';
import type { Principal } from '../../http/auth';

export interface PayoutServiceDeps {
  payouts: PayoutRepository;
  partners: PartnerRepository;
  now?: () => Date;
}

/**
 * Final payouts (SPEC §4) as finance follows them, and the bank details a partner gives —
 * also after it left, or a manager on its behalf — which pay a held final payout once.
 */
export function createPayoutService(deps: PayoutServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function giveBankDetails(
    partnerId: string,
    details: { bik: string; account: string },
    actor: string,
  ) {
    // The rule, before anything is read or written: invalid details change nothing.
    const destination = payoutDestination(details);
    if (!destination.ok) {
      throw new DomainError(
        'validation_failed',
        'The bank details are not valid',
        destination.problems,
        { reason: 'bank_details_invalid' },
      );
    }
    const { changed, finalPayout } = await deps.payouts.giveBankDetails({
      partnerId,
      bik: destination.bik,
      account: destination.account,
      actor,
      at: now(),
    });
    return {
      partnerId,
      bankDetails: { bik: destination.bik, account: destination.account },
      changed,
      finalPayout,
    };
  }

  return {
    list: (filter: { status?: FinalPayoutStatus; limit: number }) => deps.payouts.list(filter),

    async giveMyBankDetails(principal: Principal, details: { bik: string; account: string }) {
      const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
      if (!partner)
        throw new DomainError('not_found', 'Your organization is not a partner', [], {
          reason: 'not_a_partner',
        });
      return giveBankDetails(partner.id, details, principal.subject);
    },

    async givePartnerBankDetails(
      principal: Principal,
      partnerId: string,
      details: { bik: string; account: string },
    ) {
      const partner = await deps.partners.findById(partnerId);
      if (!partner)
        throw new DomainError('not_found', `No partner ${partnerId}`, [], {
          reason: 'partner_not_found',
          params: { partnerId },
        });
      return giveBankDetails(partner.id, details, principal.subject);
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
