import { DomainError } from '../../../domain/errors';
import { dateInMoscow, specializationEndProblems } from '../../../domain/programs';
import {
  applicationProblems,
  assertMayHoldSpecialization,
  catalogueEntryOn,
  catalogueOn,
  DEFAULT_SPECIALIZATION_SLA_BUSINESS_DAYS,
  grantDateProblems,
  reasonProblems,
  refuseProblems,
  specializationReviewDeadline,
  type ApplicationStatus,
} from '../../../domain/specializations';
import type {
  PartnerRepository,
  PartnerView,
} from '../../../prisma/repositories/partner.repository';
import type {
  ApplicationView,
  SpecializationRepository,
} from '../../../prisma/repositories/specialization.repository';
import { assertOrganizationAccess, type Principal } from '../../http/auth';

export interface SpecializationServiceDeps {
  specializations: SpecializationRepository;
  partners: PartnerRepository;
  /** Business days a manager has to decide an application (default 5). */
  slaBusinessDays?: number;
  now?: () => Date;
}

export interface ApplicationRequest {
  code: string;
  evidence: string;
  certifiedEngineers: number;
}

/** The specialization catalogue, partners' applications and managers' decisions. */
export function createSpecializationService(deps: SpecializationServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const slaDays = deps.slaBusinessDays ?? DEFAULT_SPECIALIZATION_SLA_BUSINESS_DAYS;

  async function partnerOf(principal: Principal): Promise<PartnerView> {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  function inVarOn(partner: PartnerView, date: string): boolean {
    return partner.memberships.some(
      (m) =>
        m.program === 'var' && m.startDate <= date && (m.endDate === null || m.endDate >= date),
    );
  }

  /** The application, if the caller may see it: staff see all, a partner only its own (404). */
  async function visibleApplication(principal: Principal, id: string): Promise<ApplicationView> {
    const application = await deps.specializations.findApplication(id);
    if (!application)
      throw new DomainError('not_found', `No specialization application ${id}`, [], {
        reason: 'specialization_application_not_found',
        params: { applicationId: id },
      });
    if (principal.role === 'partner') {
      const partner = await deps.partners.findById(application.partnerId);
      assertOrganizationAccess(principal, partner?.organizationId ?? '');
    }
    return application;
  }

  return {
    /** Every version of the catalogue, or the versions valid on one day. */
    async catalogue(on?: string) {
      const entries = await deps.specializations.catalogue();
      return { items: on === undefined ? entries : catalogueOn(entries, on) };
    },

    /** A partner applies for a specialization of today's catalogue. */
    async apply(principal: Principal, request: ApplicationRequest) {
      const partner = await partnerOf(principal);
      const at = now();
      const today = dateInMoscow(at);
      assertMayHoldSpecialization({ status: partner.status, inVar: inVarOn(partner, today) });
      const entry = catalogueEntryOn(await deps.specializations.catalogue(), request.code, today);
      refuseProblems(
        'The application does not meet the specialization’s requirements',
        applicationProblems(request, entry, today),
      );
      return deps.specializations.submitApplication({
        partnerId: partner.id,
        code: request.code,
        evidence: request.evidence,
        certifiedEngineers: request.certifiedEngineers,
        submittedBy: principal.subject,
        reviewDeadline: specializationReviewDeadline(at.toISOString(), slaDays),
        today,
        at,
      });
    },

    async myApplications(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.specializations.applicationsOf(partner.id) };
    },

    async mySpecializations(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.specializations.heldBy(partner.id) };
    },

    /** The review queue (open, oldest first) or the decided ones in a status. */
    async applications(status: ApplicationStatus) {
      return { items: await deps.specializations.applicationsIn(status) };
    },

    /** One application with its audit trail: who did what, when, from, to, why. */
    async application(principal: Principal, id: string) {
      const application = await visibleApplication(principal, id);
      return { ...application, history: await deps.specializations.historyOf(application) };
    },

    /** A manager grants an open application from a first day (today by default). */
    async grant(
      principal: Principal,
      id: string,
      request: { validFrom?: string; reason?: string | null },
    ) {
      const at = now();
      const validFrom = request.validFrom ?? dateInMoscow(at);
      refuseProblems('The grant cannot be made', [
        ...grantDateProblems(validFrom),
        ...reasonProblems(request.reason, false),
      ]);
      return deps.specializations.grant({
        applicationId: id,
        validFrom,
        actor: principal.subject,
        reason: request.reason?.trim() || null,
        today: dateInMoscow(at),
        at,
      });
    },

    /** A manager refuses an open application, saying why. */
    async refuse(principal: Principal, id: string, request: { reason: string }) {
      refuseProblems('The refusal needs a reason', reasonProblems(request.reason, true));
      return deps.specializations.refuse({
        applicationId: id,
        actor: principal.subject,
        reason: request.reason.trim(),
        at: now(),
      });
    },

    /** A manager withdraws a grant: the partner holds it up to and including validTo. */
    async withdraw(
      principal: Principal,
      specializationId: string,
      request: { validTo: string; reason?: string | null },
    ) {
      const held = await deps.specializations.findHeld(specializationId);
      if (!held)
        throw new DomainError('not_found', `No specialization ${specializationId}`, [], {
          reason: 'specialization_not_found',
          params: { specializationId },
        });
      refuseProblems('The specialization cannot end then', [
        ...specializationEndProblems({ validFrom: held.validFrom, validTo: request.validTo }),
        ...reasonProblems(request.reason, false),
      ]);
      return deps.specializations.withdraw({
        specializationId,
        validTo: request.validTo,
        actor: principal.subject,
        reason: request.reason?.trim() || null,
        at: now(),
      });
    },
  };
}

export type SpecializationService = ReturnType<typeof createSpecializationService>;
