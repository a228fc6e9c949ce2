import { moscowDateOf } from '../../../domain/calendar/production-calendar';
import { DomainError } from '../../../domain/errors';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type { ReferralRepository } from '../../../prisma/repositories/referral.repository';
import { assertOrganizationAccess, type Principal } from '../../http/auth';

export interface ReferralServiceDeps {
  referrals: ReferralRepository;
  partners: PartnerRepository;
  /** The provider's sign-up page and where this API is reachable from outside. */
  signupUrl: string;
  publicBaseUrl: string;
  now?: () => Date;
}

/** How far ahead of this server's clock a reported sign-up time may be (clock skew). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The referral program (SPEC §3) as the API offers it. */
export function createReferralService(deps: ReferralServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal) {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  function landingUrl(code: string): string {
    return `${deps.publicBaseUrl}/r/${code}`;
  }

  function signupUrl(code: string): string {
    const url = new URL(deps.signupUrl);
    url.searchParams.set('referral', code);
    return url.toString();
  }

  /** A link brings customers while the partner is a referral member (active or leaving). */
  function linkOpenOn(
    target: NonNullable<Awaited<ReturnType<ReferralRepository['resolveCode']>>>,
    date: string,
  ): string | null {
    if (target.status === 'left' || target.status === 'revoked') {
      return `the partner ${target.partnerName} is no longer a partner (${target.status})`;
    }
    const member = target.memberships.some(
      (m) => m.startDate <= date && (m.endDate === null || m.endDate >= date),
    );
    return member
      ? null
      : `the partner ${target.partnerName} is not in the referral program on ${date}`;
  }

  return {
    async myLink(principal: Principal) {
      const partner = await partnerOf(principal);
      const today = moscowDateOf(now());
      const inProgram = partner.memberships.some(
        (m) =>
          m.program === 'referral' &&
          m.startDate <= today &&
          (m.endDate === null || m.endDate >= today),
      );
      if (!inProgram || partner.status === 'left' || partner.status === 'revoked') {
        throw new DomainError(
          'invalid_state',
          'Your organization is not in the referral program: only referral partners have a referral link',
          [],
          { reason: 'not_in_referral_program' },
        );
      }
      const link = await deps.referrals.linkOf(partner.id);
      return {
        partnerId: partner.id,
        code: link.code,
        url: landingUrl(link.code),
        signupUrl: signupUrl(link.code),
        createdAt: link.createdAt,
      };
    },

    /** Where a referral link leads: the provider's sign-up page carrying the code. */
    async landing(code: string): Promise<string> {
      const target = await deps.referrals.resolveCode(code);
      if (!target)
        throw new DomainError('not_found', `No referral link ${code}`, [], {
          reason: 'referral_link_not_found',
          params: { code },
        });
      const closed = linkOpenOn(target, moscowDateOf(now()));
      if (closed)
        throw new DomainError(
          'not_found',
          `The referral link ${code} is no longer active: ${closed}`,
          [],
          { reason: 'referral_link_inactive', params: { code } },
        );
      return signupUrl(code);
    },

    async recordSignup(
      principal: Principal,
      event: {
        referralCode: string;
        customer: {
          accountId: string;
          organizationId: string;
          name: string;
          type: 'business' | 'individual_entrepreneur' | 'individual';
        };
        signedUpAt: string;
      },
    ) {
      const signedUpAt = new Date(event.signedUpAt);
      if (signedUpAt.getTime() > now().getTime() + CLOCK_SKEW_MS) {
        throw new DomainError(
          'validation_failed',
          'The sign-up time is in the future',
          [{ field: 'signedUpAt', message: 'must not be in the future', code: 'in_future' }],
          { reason: 'signup_in_future' },
        );
      }
      const target = await deps.referrals.resolveCode(event.referralCode);
      if (!target) {
        throw new DomainError(
          'not_found',
          `No referral link ${event.referralCode}`,
          [
            {
              field: 'referralCode',
              message: 'is not a referral code of any partner',
              code: 'unknown_referral_code',
            },
          ],
          { reason: 'referral_link_not_found', params: { code: event.referralCode } },
        );
      }
      const date = moscowDateOf(signedUpAt);
      const closed = linkOpenOn(target, date);
      if (closed) {
        throw new DomainError(
          'invalid_state',
          `The customer cannot be attributed: ${closed}`,
          [{ field: 'referralCode', message: closed, code: 'referral_link_inactive' }],
          { reason: 'referral_link_inactive', params: { code: event.referralCode } },
        );
      }
      return deps.referrals.attribute(
        { ...event, signedUpAt, actor: principal.subject },
        target.partnerId,
      );
    },

    async myReferrals(principal: Principal) {
      const partner = await partnerOf(principal);
      return { partnerId: partner.id, items: await deps.referrals.attributionsOf(partner.id) };
    },

    async myStatements(principal: Principal) {
      const partner = await partnerOf(principal);
      return { partnerId: partner.id, items: await deps.referrals.statementsOf(partner.id) };
    },

    async partnerStatements(partnerId: string) {
      const partner = await deps.partners.findById(partnerId);
      if (!partner)
        throw new DomainError('not_found', `No partner ${partnerId}`, [], {
          reason: 'partner_not_found',
          params: { partnerId },
        });
      return { partnerId, items: await deps.referrals.statementsOf(partnerId) };
    },

    async statement(principal: Principal, id: string) {
      const statement = await deps.referrals.statementWithLines(id);
      if (!statement)
        throw new DomainError('not_found', `No commission statement ${id}`, [], {
          reason: 'commission_statement_not_found',
          params: { statementId: id },
        });
      const partner = await deps.partners.findById(statement.partnerId);
      if (partner) assertOrganizationAccess(principal, partner.organizationId);
      return statement;
    },
  };
}

export type ReferralService = ReturnType<typeof createReferralService>;
