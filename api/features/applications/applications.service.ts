import type { PreviewCache } from '../settlement/preview-cache';
import { carriedReason } from '../../../domain/problem-codes';
import { temporalWorkflowUrl } from '../../http/temporal-links';
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowClient,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DomainError, type FieldProblem } from '../../../domain/errors';
import { holdsPartnerStatus } from '../../../domain/lifecycle';
import type { ApplicationStatus, IdentityMethod } from '../../../domain/onboarding';
import type {
  ApplicationProjection,
  ApplicationRepository,
} from '../../../prisma/repositories/application.repository';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import {
  ONBOARDING_FAILURES,
  billingVerificationSignal,
  openApplicationUpdate,
  ONBOARDING_WORKFLOW_TYPE,
  onboardingWorkflowId,
  type ApplicationState,
  type BillingVerificationResult,
  type StartOnboardingInput,
} from '../../../workflows/partner-onboarding.contracts';
import { assertOrganizationAccess, type Principal } from '../../http/auth';
import type { ApplicationView } from './applications.schemas';
import { applicationFromProjection, nextActionFields } from './applications.projection';

export interface ApplicationServiceDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  applications: ApplicationRepository;
  partners: Pick<PartnerRepository, 'findByOrganization'>;
  referralProgramOpen: boolean;
  recipients: { managers: string; supervisors: string };
  /** Base URL of the Temporal Web UI, for links to each application's workflow. */
  temporalUiUrl: string;
  namespace: string;
  now?: () => Date;
  /** Application projections kept between requests until their tables announce a change. */
  projectionCache?: PreviewCache<ApplicationProjection | null>;
}

/**
 * How long a start waits for a decided previous application to close (it only sends its last
 * notifications) before answering 503.
 */
const FINISHING_WAIT_MS = 10_000;

/**
 * Turns a refused update into a domain error: the workflow's validation failures keep their
 * field problems, state conflicts become 409, an unreachable registry 503.
 */
export function updateFailureToDomainError(error: unknown): DomainError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  let cause: unknown = error.cause;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  // details[1], when present, is the stable reason the workflow or activity refused with.
  const reason = carriedReason(cause.details?.[1]);
  switch (cause.type) {
    case ONBOARDING_FAILURES.validation: {
      const problems = (cause.details?.[0] ?? []) as FieldProblem[];
      return new DomainError('validation_failed', cause.message, problems, reason);
    }
    case ONBOARDING_FAILURES.invalidState:
      return new DomainError('invalid_state', cause.message, [], reason);
    case 'BillingAccountLocked':
      return new DomainError('invalid_state', cause.message, [], {
        reason: 'billing_account_locked',
      });
    case ONBOARDING_FAILURES.organizationIsPartner:
      return new DomainError('conflict', cause.message, [], {
        reason: 'organization_is_partner_already',
      });
    case 'RegistryUnavailableError':
    case 'RegistryResponseError':
      return new DomainError(
        'unavailable',
        'The company registry is unavailable; try again in a minute',
        [],
        { reason: 'registry_unavailable' },
      );
    default:
      return undefined;
  }
}

/** Onboarding as the API sees it: starts workflows, sends them updates, reads their state. */
export function createApplicationService(deps: ApplicationServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function workflowUrl(workflowId: string): string {
    return temporalWorkflowUrl(deps.temporalUiUrl, deps.namespace, workflowId);
  }

  function view(state: ApplicationState, workflowId: string): ApplicationView {
    return {
      ...state,
      ...nextActionFields(state),
      workflowId,
      workflowUrl: workflowUrl(workflowId),
    };
  }

  /**
   * Starts the organization's onboarding workflow, or joins the running one, with the
   * `openApplication` update (update-with-start): answers once the application is stored, so
   * a GET right after works. A previous application that is decided but still finishing
   * refuses; the caller waits for it to close.
   */
  async function openApplication(
    input: StartOnboardingInput,
  ): Promise<ApplicationState | 'previous-finishing'> {
    const startWorkflowOperation = new WithStartWorkflowOperation(ONBOARDING_WORKFLOW_TYPE, {
      taskQueue: deps.taskQueue,
      workflowId: onboardingWorkflowId(input.organizationId),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    try {
      return await deps.workflows.executeUpdateWithStart(openApplicationUpdate, {
        args: [input],
        startWorkflowOperation,
      });
    } catch (error) {
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === ONBOARDING_FAILURES.previousApplicationFinishing
      ) {
        return 'previous-finishing';
      }
      throw error;
    }
  }

  /** Waits for the organization's finishing run to close, at most FINISHING_WAIT_MS. */
  async function waitForClose(workflowId: string): Promise<void> {
    try {
      await deps.workflows.withDeadline(Date.now() + FINISHING_WAIT_MS, () =>
        deps.workflows.getHandle(workflowId).result(),
      );
    } catch {
      // Closed in any way (or still finishing past the wait): the next open says which.
    }
  }

  async function load(principal: Principal, applicationId: string) {
    const record = await deps.applications.findById(applicationId);
    if (!record)
      throw new DomainError('not_found', `No application ${applicationId}`, [], {
        reason: 'application_not_found',
        params: { applicationId },
      });
    assertOrganizationAccess(principal, record.organizationId);
    const handle = deps.workflows.getHandle(record.workflowId, record.workflowRunId);
    return { record, handle };
  }

  return {
    /**
     * Starts an application for the caller's organization, or returns the open one. An
     * organization that is a partner (active or leaving) cannot apply until it has left.
     */
    async start(principal: Principal, body: { identityMethod: IdentityMethod }) {
      const organizationId = principal.organizationId;
      if (!organizationId)
        throw new DomainError('forbidden', 'Only a partner user can apply', [], {
          reason: 'partner_user_only',
        });
      const partner = await deps.partners.findByOrganization(organizationId);
      if (partner && holdsPartnerStatus(partner.status)) {
        throw new DomainError(
          'conflict',
          `Organization ${organizationId} is already a partner (partner ${partner.id}, status ` +
            `${partner.status}); it can apply again once it has left the program`,
          [],
          {
            reason: 'organization_is_partner',
            params: { organizationId, partnerId: partner.id, status: partner.status },
          },
        );
      }
      const input: StartOnboardingInput = {
        applicationId: randomUUID(),
        organizationId,
        identityMethod: body.identityMethod,
        startedBy: principal.subject,
        startedAt: now().toISOString(),
        referralProgramOpen: deps.referralProgramOpen,
        recipients: deps.recipients,
      };
      const workflowId = onboardingWorkflowId(organizationId);
      let state = await openApplication(input);
      if (state === 'previous-finishing') {
        // The previous application is decided and sending its last notifications: its run
        // closes once they are out. Wait for that close (bounded), then open the new one.
        await waitForClose(workflowId);
        state = await openApplication(input);
      }
      if (state === 'previous-finishing') {
        throw new DomainError(
          'unavailable',
          'The previous application is still finishing; try again in a minute',
          [],
          { reason: 'previous_application_finishing' },
        );
      }
      return {
        created: state.applicationId === input.applicationId,
        application: view(state, workflowId),
      };
    },

    /**
     * The application's status from the database (the projection the workflow's activities
     * keep current), not a query to the workflow: it answers while Temporal or the worker is
     * down, and costs one indexed read instead of a round trip through a worker.
     */
    async get(principal: Principal, applicationId: string): Promise<ApplicationView> {
      const read = () => deps.applications.projection(applicationId);
      // Access is checked on every request; only the database's answer is kept.
      const projection = await (deps.projectionCache?.get(applicationId, read) ?? read());
      if (!projection)
        throw new DomainError('not_found', `No application ${applicationId}`, [], {
          reason: 'application_not_found',
          params: { applicationId },
        });
      assertOrganizationAccess(principal, projection.record.organizationId);
      return applicationFromProjection(projection, workflowUrl(projection.record.workflowId));
    },

    /**
     * Sends one of the workflow's updates on behalf of the caller and returns the new state;
     * the workflow's validators refuse bad input before it enters history.
     */
    async update<Arg>(
      principal: Principal,
      applicationId: string,
      definition: UpdateDefinition<ApplicationState, [Arg]>,
      arg: Omit<Arg, 'actor'>,
    ): Promise<ApplicationView> {
      const { record, handle } = await load(principal, applicationId);
      try {
        const state: ApplicationState = await handle.executeUpdate(definition, {
          args: [{ ...arg, actor: principal.subject } as Arg],
        });
        return view(state, record.workflowId);
      } catch (error) {
        const mapped = updateFailureToDomainError(error);
        if (mapped) throw mapped;
        if (error instanceof WorkflowNotFoundError) {
          throw new DomainError(
            'invalid_state',
            `The application is already ${record.status}`,
            [],
            { reason: 'application_already_decided', params: { status: record.status } },
          );
        }
        throw error;
      }
    },

    /** The billing system reports a verification result; it reaches the waiting workflow. */
    async reportBillingVerification(
      result: BillingVerificationResult,
    ): Promise<{ applicationId: string }> {
      const record = await deps.applications.findByBillingAccount(result.billingAccountId);
      if (!record) {
        throw new DomainError(
          'not_found',
          `No application waits for billing account ${result.billingAccountId}`,
          [],
          {
            reason: 'no_application_for_billing_account',
            params: { billingAccountId: result.billingAccountId },
          },
        );
      }
      await deps.workflows
        .getHandle(record.workflowId, record.workflowRunId)
        .signal(billingVerificationSignal, result);
      return { applicationId: record.id };
    },

    async list(
      principal: Principal,
      query: { status?: ApplicationStatus; order: 'oldest' | 'newest'; limit: number },
    ) {
      const rows = await deps.applications.list({
        ...query,
        organizationId: principal.role === 'partner' ? principal.organizationId : undefined,
      });
      return {
        items: rows.map((row) => ({
          applicationId: row.id,
          organizationId: row.organizationId,
          status: row.status,
          step: row.step,
          startedAt: row.startedAt.toISOString(),
          companyName: row.companyName,
          companyInn: row.companyInn,
          programs: row.programs,
          submittedAt: row.submittedAt ? row.submittedAt.toISOString() : null,
        })),
      };
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
