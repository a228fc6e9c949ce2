import { randomUUID } from 'node:crypto';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowClient,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../../../domain/errors';
import type { ApplicationStatus, IdentityMethod } from '../../../domain/onboarding';
import type { ApplicationRepository } from '../../../prisma/repositories/application.repository';
import {
  applicationStateQuery,
  cancelApplicationUpdate,
  ONBOARDING_WORKFLOW_TYPE,
  onboardingWorkflowId,
  type ApplicationState,
  type StartOnboardingInput,
} from '../../../workflows/contracts';
import { assertOrganizationAccess, type Principal } from '../../http/auth';
import type { ApplicationView } from './applications.schemas';

export interface ApplicationServiceDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  applications: ApplicationRepository;
  now?: () => Date;
}

/** How long a start waits for the workflow to store the application before answering. */
const RECORD_WAIT_MS = 15_000;

/** Onboarding as the API sees it: starts and signals workflows, reads their state. */
export function createApplicationService(deps: ApplicationServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function view(state: ApplicationState, workflowId: string): ApplicationView {
    return {
      applicationId: state.applicationId,
      organizationId: state.organizationId,
      identityMethod: state.identityMethod,
      status: state.status,
      step: state.step,
      startedAt: state.startedAt,
      expiresAt: state.expiresAt,
      workflowId,
      history: state.history,
    };
  }

  /** Waits until the workflow has stored the application, so a GET right after works. */
  async function recordedState(handle: WorkflowHandle): Promise<ApplicationState> {
    const deadline = Date.now() + RECORD_WAIT_MS;
    for (;;) {
      const state = await handle.query(applicationStateQuery);
      if (state.recorded || Date.now() > deadline) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function load(principal: Principal, applicationId: string) {
    const record = await deps.applications.findById(applicationId);
    if (!record) throw new DomainError('not_found', `No application ${applicationId}`);
    assertOrganizationAccess(principal, record.organizationId);
    const handle = deps.workflows.getHandle(record.workflowId, record.workflowRunId);
    return { record, handle };
  }

  return {
    /** Starts an application for the caller's organization, or returns the open one. */
    async start(principal: Principal, body: { identityMethod: IdentityMethod }) {
      const organizationId = principal.organizationId;
      if (!organizationId) throw new DomainError('forbidden', 'Only a partner user can apply');
      const input: StartOnboardingInput = {
        applicationId: randomUUID(),
        organizationId,
        identityMethod: body.identityMethod,
        startedBy: principal.subject,
        startedAt: now().toISOString(),
      };
      const workflowId = onboardingWorkflowId(organizationId);
      const handle = await deps.workflows.start(ONBOARDING_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      const state = await recordedState(handle);
      return {
        created: state.applicationId === input.applicationId,
        application: view(state, workflowId),
      };
    },

    async get(principal: Principal, applicationId: string): Promise<ApplicationView> {
      const { record, handle } = await load(principal, applicationId);
      try {
        return view(await handle.query(applicationStateQuery), record.workflowId);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // The workflow's history is past retention: answer from the database.
        const trail = await deps.applications.auditTrail(applicationId);
        return {
          applicationId: record.id,
          organizationId: record.organizationId,
          identityMethod: record.identityMethod,
          status: record.status,
          step: record.step,
          startedAt: record.startedAt.toISOString(),
          expiresAt: null,
          workflowId: record.workflowId,
          history: trail.map((event) => ({
            at: event.occurredAt.toISOString(),
            actor: event.actor,
            action: event.action,
            from: (event.fromState as ApplicationStatus | null) ?? null,
            to: event.toState as ApplicationStatus,
          })),
        };
      }
    },

    async cancel(
      principal: Principal,
      applicationId: string,
      reason?: string,
    ): Promise<ApplicationView> {
      const { record, handle } = await load(principal, applicationId);
      try {
        const state = await handle.executeUpdate(cancelApplicationUpdate, {
          args: [{ actor: principal.subject, reason }],
        });
        return view(state, record.workflowId);
      } catch (error) {
        if (
          error instanceof WorkflowUpdateFailedError &&
          error.cause instanceof ApplicationFailure
        ) {
          throw new DomainError('invalid_state', error.cause.message);
        }
        if (error instanceof WorkflowNotFoundError) {
          throw new DomainError('invalid_state', `The application is already ${record.status}`);
        }
        throw error;
      }
    },

    async list(principal: Principal, query: { status?: ApplicationStatus; limit: number }) {
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
        })),
      };
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
