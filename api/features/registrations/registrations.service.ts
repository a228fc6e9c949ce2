import { checkReasonCode } from '../../../domain/validators/codes';
import { carriedReason } from '../../../domain/problem-codes';
import { randomUUID } from 'node:crypto';
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowClient,
} from '@temporalio/client';
import { companyRefusal } from '../../../domain/company';
import { DomainError, type FieldProblem, refuseProblems } from '../../../domain/errors';
import { dateInMoscow } from '../../../domain/programs';
import {
  approvalProblems,
  baselineWindow,
  claimKey,
  dealRegistrationProblems,
  defaultBaseline,
  type RegistrationStatus,
} from '../../../domain/registrations';
import { validateInn } from '../../../domain/validators';
import {
  RegistryResponseError,
  RegistryUnavailableError,
  type CompanyRegistry,
} from '../../../activities/registry/company-registry';
import type {
  PartnerRepository,
  PartnerView,
} from '../../../prisma/repositories/partner.repository';
import {
  REGISTRATION_FAILURES,
  REGISTRATION_REVIEW_WORKFLOW_TYPE,
  approveRegistrationUpdate,
  registrationReviewInput,
  registrationReviewWorkflowId,
  rejectRegistrationUpdate,
  renewRegistrationUpdate,
} from '../../../workflows/registration-review.contracts';
import { unavailableDependency } from '../../http/dependencies';
import { updateFailureToDomainError } from '../applications/applications.service';
import type { Principal } from '../../http/auth';
import {
  CUSTOMER_TAKEN,
  type RegistrationRepository,
  type RegistrationView,
} from '../../../prisma/repositories/registration.repository';

export interface RegistrationServiceDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  registrations: RegistrationRepository;
  partners: PartnerRepository;
  registry: CompanyRegistry;
  settings: {
    slaBusinessDays: number;
    dealTermMonths: number;
    recipients: { managers: string; supervisors: string };
  };
  /** Temporal could not be told of a stored registration (the worker's sweep catches up). */
  onWorkflowError?: (error: unknown, registrationId: string) => void;
  now?: () => Date;
}

export interface DealRegistrationRequest {
  /** One of the partner's subaccounts… */
  customerAccountId?: string | null;
  /** …or a prospective customer by INN, looked up in the company registry. */
  customerInn?: string | null;
  expectedMonthlyConsumption: string;
  description: string;
  /** The first day to link; default (and never before) the approval date. */
  startDate?: string | null;
}

export interface ProjectRegistrationRequest {
  scope: 'cloud' | 'folder';
  cloudId: string;
  folderId?: string | null;
  description: string;
  expectedGrowth: string;
}

/** The approval found the place taken (a project overlapping a registered one): 409. */
function conflictOf(error: unknown): DomainError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  let cause: unknown = error.cause;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== REGISTRATION_FAILURES.conflict) {
    return undefined;
  }
  const problems = (cause.details?.[0] ?? []) as FieldProblem[];
  return new DomainError('conflict', cause.message, problems, carriedReason(cause.details?.[1]));
}

const refuse = refuseProblems;

/**
 * Deals and projects registered by the partner and reviewed by managers (SPEC §2). The API
 * stores the registration (the database decides who registered a customer first), then starts
 * its review workflow; decisions go to the workflow as validated updates.
 */
export function createRegistrationService(deps: RegistrationServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function partnerOf(principal: Principal): Promise<PartnerView> {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  /** Only a current VAR partner that has not given notice registers anything. */
  function assertMayRegister(partner: PartnerView): void {
    if (partner.status !== 'active') {
      const why =
        partner.status === 'leaving'
          ? `the partner is leaving on ${partner.exitDate ?? 'its exit date'}`
          : `the partner's status is ${partner.status}`;
      throw new DomainError('invalid_state', `Nothing more can be registered: ${why}`, [], {
        reason: 'partner_status_forbids_registration',
        params: { status: partner.status },
      });
    }
    const today = dateInMoscow(now());
    const inVar = partner.memberships.some(
      (m) => m.program === 'var' && (m.endDate === null || m.endDate >= today),
    );
    if (!inVar) {
      throw new DomainError(
        'invalid_state',
        'The partner is not in the VAR program: deals and projects belong to it',
        [],
        { reason: 'not_in_var_program' },
      );
    }
  }

  /**
   * Starts the stored registration's review. The registration is the record: when Temporal is
   * unreachable it stays pending and the worker's sweep starts its review once Temporal is back,
   * so the partner is answered 202 either way and never asked to register again.
   */
  async function startReview(registration: RegistrationView, requestedStart: string | null) {
    const input = registrationReviewInput(registration, requestedStart, deps.settings);
    try {
      await deps.workflows.start(REGISTRATION_REVIEW_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId: registrationReviewWorkflowId(registration.id),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      if (unavailableDependency(error) !== 'temporal') throw error;
      deps.onWorkflowError?.(error, registration.id);
    }
  }

  async function submitDeal(
    principal: Principal,
    request: DealRegistrationRequest,
    renewalOf: string | null,
  ): Promise<RegistrationView> {
    const partner = await partnerOf(principal);
    const accountId = request.customerAccountId ?? null;
    const innText = request.customerInn ?? null;
    const problems = dealRegistrationProblems(request);
    if ((accountId === null) === (innText === null)) {
      problems.push({
        field: 'customerAccountId',
        message: 'give either customerAccountId (one of your customers) or customerInn',
        code: 'customer_or_inn',
      });
    }
    let inn: string | null = null;
    if (innText !== null) {
      const check = validateInn(innText);
      if (check.ok) inn = check.inn;
      else {
        problems.push({
          field: 'customerInn',
          message: check.reason,
          ...checkReasonCode(check.reason),
        });
      }
    }
    refuse('The deal registration is not valid', problems);
    assertMayRegister(partner);

    let name: string | null = null;
    if (accountId !== null) {
      const account = await deps.registrations.account(accountId);
      if (!account || account.parentId !== partner.billingAccountId) {
        throw new DomainError(
          'validation_failed',
          `No customer ${accountId} of yours`,
          [
            {
              field: 'customerAccountId',
              message: 'is not one of your customers (a subaccount of your billing account)',
              code: 'not_your_customer',
            },
          ],
          { reason: 'not_your_customer', params: { accountId } },
        );
      }
      name = account.name;
      inn = account.inn;
    } else if (inn !== null) {
      const card = await deps.registry.findByInn(inn).catch((error: unknown) => {
        if (error instanceof RegistryUnavailableError || error instanceof RegistryResponseError) {
          throw new DomainError(
            'unavailable',
            'The company registry is unavailable; try again in a minute',
            [],
            { reason: 'registry_unavailable' },
          );
        }
        throw error;
      });
      if (!card) {
        throw new DomainError(
          'validation_failed',
          `No company with INN ${inn} in the registry`,
          [
            {
              field: 'customerInn',
              message: 'is not in the state company registry',
              code: 'not_in_registry',
            },
          ],
          { reason: 'company_not_in_registry', params: { inn } },
        );
      }
      const refusal = companyRefusal(card);
      if (refusal) {
        throw new DomainError(
          'validation_failed',
          refusal,
          [
            {
              field: 'customerInn',
              message: 'belongs to a company that is not active',
              code: 'company_not_active',
            },
          ],
          { reason: 'company_not_active', params: { inn } },
        );
      }
      name = card.name;
    }
    const today = dateInMoscow(now());
    const startDate = request.startDate ?? null;
    if (await deps.registrations.heldByAnotherPartner(partner.id, { accountId, inn }, today)) {
      throw new DomainError(
        'conflict',
        `Registration refused: ${CUSTOMER_TAKEN}`,
        [{ field: 'customer', message: CUSTOMER_TAKEN, code: 'customer_taken' }],
        { reason: 'customer_taken' },
      );
    }
    const registration = await deps.registrations.submit({
      id: randomUUID(),
      partnerId: partner.id,
      kind: 'deal',
      customerAccountId: accountId,
      customerInn: inn,
      customerName: name,
      claimKey: claimKey({ inn, accountId }),
      expectedMonthly: request.expectedMonthlyConsumption,
      scope: null,
      cloudId: null,
      folderId: null,
      expectedGrowth: null,
      baselineDefault: null,
      description: request.description.trim(),
      startDate,
      submittedBy: principal.subject,
      submittedAt: now().toISOString(),
      renewalOf,
    });
    await startReview(registration, startDate);
    return registration;
  }

  async function decide<T>(id: string, send: () => Promise<T>): Promise<T> {
    const current = await deps.registrations.find(id);
    if (!current)
      throw new DomainError('not_found', `No registration ${id}`, [], {
        reason: 'registration_not_found',
        params: { registrationId: id },
      });
    try {
      return await send();
    } catch (error) {
      const conflict = conflictOf(error);
      if (conflict) throw conflict;
      const mapped = updateFailureToDomainError(error);
      if (mapped) throw mapped;
      if (error instanceof WorkflowNotFoundError) {
        throw new DomainError('invalid_state', `The registration is ${current.status}`, [], {
          reason: 'registration_status_forbids',
          params: { status: current.status },
        });
      }
      throw error;
    }
  }

  async function reread(id: string): Promise<RegistrationView> {
    const view = await deps.registrations.find(id);
    if (!view)
      throw new DomainError('not_found', `No registration ${id}`, [], {
        reason: 'registration_not_found',
        params: { registrationId: id },
      });
    return view;
  }

  return {
    registerDeal: (principal: Principal, request: DealRegistrationRequest) =>
      submitDeal(principal, request, null),

    async registerProject(principal: Principal, request: ProjectRegistrationRequest) {
      const partner = await partnerOf(principal);
      const folderId = request.folderId ?? null;
      const problems: FieldProblem[] = [];
      if (request.scope === 'folder' && folderId === null) {
        problems.push({
          field: 'folderId',
          message: 'is required for a folder project',
          code: 'required',
        });
      }
      if (request.scope === 'cloud' && folderId !== null) {
        problems.push({
          field: 'folderId',
          message: 'must be absent for a whole-cloud project',
          code: 'not_for_cloud_project',
        });
      }
      if (request.description.trim() === '') {
        problems.push({ field: 'description', message: 'must not be empty', code: 'required' });
      }
      refuse('The project registration is not valid', problems);
      assertMayRegister(partner);
      if (
        !(await deps.registrations.isCustomersCloud(
          partner.billingAccountId,
          request.cloudId,
          folderId,
        ))
      ) {
        const field = folderId === null ? 'cloudId' : 'folderId';
        throw new DomainError(
          'validation_failed',
          'Not a cloud or folder of your customers',
          [
            {
              field,
              message: 'has no consumption of any of your customers',
              code: 'not_your_customers_cloud',
            },
          ],
          { reason: 'not_your_customers_cloud' },
        );
      }
      const submittedAt = now().toISOString();
      const window = baselineWindow(dateInMoscow(new Date(submittedAt)));
      const total = await deps.registrations.consumptionTotal(
        request.cloudId,
        folderId,
        window.from,
        window.to,
      );
      const registration = await deps.registrations.submit({
        id: randomUUID(),
        partnerId: partner.id,
        kind: 'project',
        customerAccountId: null,
        customerInn: null,
        customerName: null,
        claimKey:
          folderId === null ? `cloud:${request.cloudId}` : `folder:${request.cloudId}/${folderId}`,
        expectedMonthly: null,
        scope: request.scope,
        cloudId: request.cloudId,
        folderId,
        expectedGrowth: request.expectedGrowth.trim(),
        baselineDefault: defaultBaseline(total),
        description: request.description.trim(),
        startDate: null,
        submittedBy: principal.subject,
        submittedAt,
        renewalOf: null,
      });
      await startReview(registration, null);
      return registration;
    },

    async mine(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.registrations.ofPartner(partner.id) };
    },

    /** Registrations in a status (pending by default), or one partner's in any or one status. */
    async list(filter: { status?: RegistrationStatus; partnerId?: string; limit: number }) {
      if (filter.partnerId) {
        const rows = await deps.registrations.ofPartner(filter.partnerId);
        return {
          items: rows
            .filter((row) => !filter.status || row.status === filter.status)
            .slice(0, filter.limit),
        };
      }
      return {
        items: await deps.registrations.withStatus(filter.status ?? 'pending', filter.limit),
      };
    },

    /** One registration with its audit: managers see any, a partner only its own (else 404). */
    async get(principal: Principal, id: string) {
      const registration = await deps.registrations.find(id);
      if (registration && principal.role === 'partner') {
        const partner = await partnerOf(principal);
        if (partner.id !== registration.partnerId) {
          throw new DomainError('not_found', `No registration ${id}`, [], {
            reason: 'registration_not_found',
            params: { registrationId: id },
          });
        }
      }
      if (!registration)
        throw new DomainError('not_found', `No registration ${id}`, [], {
          reason: 'registration_not_found',
          params: { registrationId: id },
        });
      return { ...registration, events: await deps.registrations.events(id) };
    },

    async approve(
      principal: Principal,
      id: string,
      approval: {
        upliftRate?: string | null;
        rate?: string | null;
        baselineMonthly?: string | null;
      },
    ) {
      const current = await reread(id);
      refuse('The approval breaks the program rules', approvalProblems(current.kind, approval));
      if (current.status !== 'pending') {
        throw new DomainError(
          'invalid_state',
          `The registration is already ${current.status}`,
          [],
          { reason: 'registration_already_decided', params: { status: current.status } },
        );
      }
      await decide(id, () =>
        deps.workflows
          .getHandle(registrationReviewWorkflowId(id))
          .executeUpdate(approveRegistrationUpdate, {
            args: [{ ...approval, decidedBy: principal.subject }],
          }),
      );
      return reread(id);
    },

    async reject(principal: Principal, id: string, reason: string) {
      const current = await reread(id);
      if (current.status !== 'pending') {
        throw new DomainError(
          'invalid_state',
          `The registration is already ${current.status}`,
          [],
          { reason: 'registration_already_decided', params: { status: current.status } },
        );
      }
      await decide(id, () =>
        deps.workflows
          .getHandle(registrationReviewWorkflowId(id))
          .executeUpdate(rejectRegistrationUpdate, {
            args: [{ reason, decidedBy: principal.subject }],
          }),
      );
      return reread(id);
    },

    /**
     * Renewal by the partner. Before expiry the deal runs one more term from its end (the
     * workflow extends it; the customer is already the partner's). After expiry the claim is
     * released, so a renewal is a new registration of the same customer, reviewed again.
     */
    async renew(
      principal: Principal,
      id: string,
    ): Promise<{ status: 200 | 202; body: RegistrationView }> {
      const partner = await partnerOf(principal);
      const current = await reread(id);
      if (current.partnerId !== partner.id)
        throw new DomainError('not_found', `No registration ${id}`, [], {
          reason: 'registration_not_found',
          params: { registrationId: id },
        });
      if (current.kind !== 'deal') {
        throw new DomainError(
          'invalid_state',
          'Only a deal is renewed; a project runs 12 months',
          [],
          { reason: 'only_deal_renewed' },
        );
      }
      if (current.status === 'approved') {
        await decide(id, () =>
          deps.workflows
            .getHandle(registrationReviewWorkflowId(id))
            .executeUpdate(renewRegistrationUpdate, { args: [{ requestedBy: principal.subject }] }),
        );
        return { status: 200, body: await reread(id) };
      }
      if (current.status !== 'expired') {
        throw new DomainError(
          'invalid_state',
          `The registration is ${current.status}: only an approved or expired deal is renewed`,
          [],
          { reason: 'deal_not_renewable', params: { status: current.status } },
        );
      }
      const renewal = await submitDeal(
        principal,
        {
          customerAccountId: current.customerAccountId,
          expectedMonthlyConsumption: current.expectedMonthlyConsumption ?? '0.00',
          description: current.description,
        },
        id,
      );
      return { status: 202, body: renewal };
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
