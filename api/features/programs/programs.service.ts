import { checkReasonCode } from '../../../domain/validators/codes';
import { DomainError, refuseProblems } from '../../../domain/errors';
import {
  dateInMoscow,
  dealEndProblems,
  dealProblems,
  projectProblems,
  specializationProblems,
  type ProjectScope,
} from '../../../domain/programs';
import { validateInn } from '../../../domain/validators';
import type {
  PartnerRepository,
  PartnerView,
} from '../../../prisma/repositories/partner.repository';
import type { ProgramRepository } from '../../../prisma/repositories/program.repository';
import { assertOrganizationAccess, type Principal } from '../../http/auth';

export interface ProgramServiceDeps {
  programs: ProgramRepository;
  partners: PartnerRepository;
  now?: () => Date;
}

export interface DealRequest {
  customerAccountId: string;
  upliftRate: string;
  startDate: string;
  endDate?: string | null;
}

export interface ProjectRequest {
  scope: ProjectScope;
  cloudId: string;
  folderId?: string | null;
  baselineMonthly: string;
  rate: string;
  /** Defaults to today's Moscow date. */
  registeredOn?: string;
}

export interface SpecializationRequest {
  code: string;
  rate: string;
  serviceIds: string[];
  validFrom: string;
  validTo?: string | null;
  reason?: string | null;
}

const refuse = refuseProblems;

/** Customers, deals, projects and the partner bonus view of the VAR program (SPEC §2). */
export function createProgramService(deps: ProgramServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal): Promise<PartnerView> {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  /** The partner, if the caller may see it: staff see all, a partner only itself (else 404). */
  async function visiblePartner(principal: Principal, partnerId: string): Promise<PartnerView> {
    const partner = await deps.partners.findById(partnerId);
    if (!partner)
      throw new DomainError('not_found', `No partner ${partnerId}`, [], {
        reason: 'partner_not_found',
        params: { partnerId },
      });
    assertOrganizationAccess(principal, partner.organizationId);
    return partner;
  }

  /** Customers, deals and projects are registered only for a current VAR partner. */
  function assertVarPartner(partner: PartnerView): void {
    if (partner.status === 'left' || partner.status === 'revoked') {
      throw new DomainError(
        'invalid_state',
        `The partner's status is ${partner.status}: nothing more can be registered for it`,
        [],
        { reason: 'partner_status_forbids_registration', params: { status: partner.status } },
      );
    }
    const today = dateInMoscow(now());
    const inVar = partner.memberships.some(
      (m) => m.program === 'var' && (m.endDate === null || m.endDate >= today),
    );
    if (!inVar) {
      throw new DomainError(
        'invalid_state',
        'The partner is not in the VAR program: customers, deals and projects belong to it',
        [],
        { reason: 'not_in_var_program' },
      );
    }
  }

  return {
    async myCustomers(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.programs.customersOf(partner.billingAccountId) };
    },

    /** A VAR partner opens a customer subaccount under its own billing account. */
    async createCustomer(principal: Principal, request: { name: string; inn?: string | null }) {
      const partner = await partnerOf(principal);
      assertVarPartner(partner);
      let inn: string | null = null;
      if (request.inn !== undefined && request.inn !== null) {
        const check = validateInn(request.inn);
        if (!check.ok) {
          throw new DomainError(
            'validation_failed',
            `The customer's INN ${check.reason}`,
            [{ field: 'inn', message: check.reason, ...checkReasonCode(check.reason) }],
            { reason: 'customer_inn_invalid', params: { inn: request.inn } },
          );
        }
        inn = check.inn;
      }
      return deps.programs.createCustomer({
        ownAccountId: partner.billingAccountId,
        name: request.name,
        inn,
      });
    },

    async deals(principal: Principal, partnerId: string) {
      const partner = await visiblePartner(principal, partnerId);
      return { items: await deps.programs.dealsOf(partner.id) };
    },

    /** A manager registers a deal linking one of the partner's customers. */
    async registerDeal(principal: Principal, partnerId: string, request: DealRequest) {
      const partner = await visiblePartner(principal, partnerId);
      const endDate = request.endDate ?? null;
      refuse('The deal breaks the program rules', dealProblems({ ...request, endDate }));
      assertVarPartner(partner);
      return deps.programs.registerDeal({
        partnerId: partner.id,
        ownAccountId: partner.billingAccountId,
        customerAccountId: request.customerAccountId,
        upliftRate: request.upliftRate,
        startDate: request.startDate,
        endDate,
        registeredBy: principal.subject,
      });
    },

    /**
     * Ends a deal on its last linked day. The same date again changes nothing; an earlier one
     * shortens the link; a later one than the deal's end is refused (register a new deal).
     */
    async endDeal(dealId: string, endDate: string) {
      const deal = await deps.programs.findDeal(dealId);
      if (!deal)
        throw new DomainError('not_found', `No deal ${dealId}`, [], {
          reason: 'deal_not_found',
          params: { dealId },
        });
      refuse('The deal cannot end then', dealEndProblems({ startDate: deal.startDate, endDate }));
      if (deal.endDate !== null && endDate > deal.endDate) {
        throw new DomainError(
          'invalid_state',
          `The deal already ended on ${deal.endDate}; an ended deal is not extended, register a new one`,
          [],
          { reason: 'deal_already_ended', params: { endDate: deal.endDate } },
        );
      }
      const ended = await deps.programs.endDeal(dealId, endDate);
      if (!ended) {
        throw new DomainError(
          'invalid_state',
          'The deal changed meanwhile; read it and try again',
          [],
          { reason: 'changed_meanwhile' },
        );
      }
      return ended;
    },

    async projects(principal: Principal, partnerId: string) {
      const partner = await visiblePartner(principal, partnerId);
      return { items: await deps.programs.projectsOf(partner.id) };
    },

    /** A manager registers a cloud or folder project with its baseline. */
    async registerProject(principal: Principal, partnerId: string, request: ProjectRequest) {
      const partner = await visiblePartner(principal, partnerId);
      const registeredOn = request.registeredOn ?? dateInMoscow(now());
      const folderId = request.folderId ?? null;
      refuse(
        'The project breaks the program rules',
        projectProblems({ ...request, folderId, registeredOn }),
      );
      assertVarPartner(partner);
      return deps.programs.registerProject({
        partnerId: partner.id,
        scope: request.scope,
        cloudId: request.cloudId,
        folderId,
        baselineMonthly: request.baselineMonthly,
        rate: request.rate,
        registeredOn,
        registeredBy: principal.subject,
      });
    },

    async specializations(principal: Principal, partnerId: string) {
      const partner = await visiblePartner(principal, partnerId);
      return { items: await deps.programs.specializationsOf(partner.id) };
    },

    /** A manager grants a specialization: its services and rebate rate, from a first day. */
    async grantSpecialization(
      principal: Principal,
      partnerId: string,
      request: SpecializationRequest,
    ) {
      const partner = await visiblePartner(principal, partnerId);
      const validTo = request.validTo ?? null;
      refuse(
        'The specialization breaks the program rules',
        specializationProblems({ ...request, validTo }),
      );
      assertVarPartner(partner);
      return deps.programs.grantSpecialization({
        partnerId: partner.id,
        code: request.code,
        rate: request.rate,
        serviceIds: request.serviceIds,
        validFrom: request.validFrom,
        validTo,
        grantedBy: principal.subject,
        reason: request.reason?.trim() || null,
      });
    },

    async myBonus(principal: Principal, months: number) {
      const partner = await partnerOf(principal);
      return { items: await deps.programs.bonusByMonth(partner.id, months) };
    },

    async partnerBonus(principal: Principal, partnerId: string, months: number) {
      const partner = await visiblePartner(principal, partnerId);
      return { items: await deps.programs.bonusByMonth(partner.id, months) };
    },
  };
}

export type ProgramService = ReturnType<typeof createProgramService>;
