import type { WorkflowClient } from '@temporalio/client';
import { dateInMoscow } from '../../../domain/programs';
import { DomainError, refuseProblems } from '../../../domain/errors';
import {
  DEFAULT_PRESALE_SLA_BUSINESS_DAYS,
  PRESALE_STATUSES,
  presaleRequestProblems,
  presaleSla,
  presaleTransition,
  isFinalPresaleStatus,
  type PresaleStatus,
  type PresaleTarget,
} from '../../../domain/presales';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type {
  PresaleRepository,
  PresaleRequestView,
} from '../../../prisma/repositories/presale.repository';
import {
  PRESALE_REQUEST_WORKFLOW_TYPE,
  presaleEventSignal,
  presaleRequestInput,
  presaleRequestWorkflowId,
  type PresaleEvent,
  type PresaleRequestInput,
} from '../../../workflows/presale-request.contracts';
import { assertOrganizationAccess, type Principal } from '../../http/auth';

export interface PresaleSettings {
  /** Business days for the first answer (default 1). */
  slaBusinessDays?: number;
  staffRecipient: string;
  leadsRecipient: string;
}

export interface PresaleServiceDeps {
  presales: PresaleRepository;
  partners: PartnerRepository;
  workflows: WorkflowClient;
  taskQueue: string;
  settings: PresaleSettings;
  /** Told when a stored change could not be passed to the request's workflow. */
  onWorkflowError?: (error: unknown, requestId: string) => void;
  now?: () => Date;
}

export interface NewPresaleRequestBody {
  customerAccountId?: string | null;
  projectId?: string | null;
  topic: string;
  description: string;
  desiredDate: string;
}

const refuse = refuseProblems;

const isStaff = (principal: Principal) => principal.role !== 'partner';

/**
 * Presale requests: partners submit and follow them, presale staff (and managers) work the
 * queue. Every change is stored first (with its audit event), then passed to the request's
 * workflow, which keeps the first-answer SLA and sends the notifications.
 */
export function createPresaleService(deps: PresaleServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const slaDays = deps.settings.slaBusinessDays ?? DEFAULT_PRESALE_SLA_BUSINESS_DAYS;

  async function partnerOf(principal: Principal) {
    const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  /** The request if the caller may see it: staff see all, a partner its own (else 404). */
  async function visible(principal: Principal, id: string): Promise<PresaleRequestView> {
    const request = await deps.presales.find(id);
    if (!request)
      throw new DomainError('not_found', `No presale request ${id}`, [], {
        reason: 'presale_request_not_found',
        params: { requestId: id },
      });
    assertOrganizationAccess(principal, request.organizationId);
    return request;
  }

  function workflowInput(request: PresaleRequestView): PresaleRequestInput {
    return presaleRequestInput(request, {
      staff: deps.settings.staffRecipient,
      leads: deps.settings.leadsRecipient,
    });
  }

  /**
   * Passes a stored event to the request's workflow, starting it if it is not running yet
   * (the first event, or a start that failed earlier). The change is already stored: a
   * Temporal outage is reported, not turned into a refusal of what happened.
   */
  async function tell(request: PresaleRequestView, event: PresaleEvent): Promise<void> {
    try {
      await deps.workflows.signalWithStart(PRESALE_REQUEST_WORKFLOW_TYPE, {
        taskQueue: deps.taskQueue,
        workflowId: presaleRequestWorkflowId(request.id),
        args: [workflowInput(request)],
        signal: presaleEventSignal,
        signalArgs: [event],
      });
    } catch (error) {
      deps.onWorkflowError?.(error, request.id);
    }
  }

  return {
    async submit(principal: Principal, body: NewPresaleRequestBody) {
      const partner = await partnerOf(principal);
      const at = now();
      const input = {
        customerAccountId: body.customerAccountId ?? null,
        projectId: body.projectId ?? null,
        topic: body.topic.trim(),
        description: body.description.trim(),
        desiredDate: body.desiredDate,
      };
      refuse(
        'The presale request cannot be accepted',
        presaleRequestProblems(input, dateInMoscow(at)),
      );
      if (partner.status === 'left' || partner.status === 'revoked') {
        throw new DomainError(
          'invalid_state',
          `The partner's status is ${partner.status}: it can no longer ask for presale experts`,
          [],
          { reason: 'partner_status_forbids_presale', params: { status: partner.status } },
        );
      }
      if (
        input.customerAccountId &&
        !(await deps.presales.isCustomerOf(partner.billingAccountId, input.customerAccountId))
      ) {
        refuse('The presale request cannot be accepted', [
          {
            field: 'customerAccountId',
            message: 'is not one of your customers',
            code: 'not_your_customer',
          },
        ]);
      }
      if (input.projectId && !(await deps.presales.isProjectOf(partner.id, input.projectId))) {
        refuse('The presale request cannot be accepted', [
          {
            field: 'projectId',
            message: 'is not one of your registered projects',
            code: 'not_your_project',
          },
        ]);
      }
      const { request, eventId } = await deps.presales.create({
        ...input,
        partnerId: partner.id,
        organizationId: partner.organizationId,
        slaDeadline: presaleSla(at, slaDays).deadline,
        createdBy: principal.subject,
        at,
      });
      await tell(request, {
        eventId,
        kind: 'status',
        actor: principal.subject,
        byStaff: false,
        from: null,
        to: 'new',
      });
      return request;
    },

    async mine(principal: Principal) {
      const partner = await partnerOf(principal);
      return { items: await deps.presales.ofPartner(partner.id) };
    },

    async queue(statuses: PresaleStatus[] | undefined) {
      const open = PRESALE_STATUSES.filter((s) => !isFinalPresaleStatus(s));
      return { items: await deps.presales.queue(statuses?.length ? statuses : open) };
    },

    async detail(principal: Principal, id: string) {
      await visible(principal, id);
      const detail = await deps.presales.detail(id);
      if (!detail)
        throw new DomainError('not_found', `No presale request ${id}`, [], {
          reason: 'presale_request_not_found',
          params: { requestId: id },
        });
      return detail;
    },

    /** A staff member moves the request along its statuses (409 for a move not allowed). */
    async move(
      principal: Principal,
      id: string,
      body: { status: PresaleTarget; assignee?: string | null; reason?: string | null },
    ) {
      const current = await visible(principal, id);
      const decision = presaleTransition({
        from: current.status,
        to: body.status,
        currentAssignee: current.assignee,
        assignee: body.assignee,
        reason: body.reason,
      });
      if (!decision.ok) {
        if (decision.kind === 'conflict')
          throw new DomainError('invalid_state', decision.message, [], decision.reason);
        refuse('The status change is incomplete', decision.problems);
        throw new Error('unreachable');
      }
      const moved = await deps.presales.move({
        id,
        from: current.status,
        to: decision.to,
        assignee: decision.assignee,
        reason: decision.reason,
        actor: principal.subject,
        at: now(),
      });
      if (!moved) {
        throw new DomainError(
          'invalid_state',
          'The request changed meanwhile (someone else moved it); read it and try again',
          [],
          { reason: 'changed_meanwhile' },
        );
      }
      await tell(moved.request, {
        eventId: moved.eventId,
        kind: 'status',
        actor: principal.subject,
        byStaff: true,
        from: current.status,
        to: decision.to,
        assignee: decision.assignee,
        reason: decision.reason,
      });
      return moved.request;
    },

    /** A comment by the partner or by staff; a finished request takes no more comments. */
    async comment(principal: Principal, id: string, body: { text: string }) {
      const request = await visible(principal, id);
      const text = body.text.trim();
      refuse(
        'The comment is empty',
        text ? [] : [{ field: 'text', message: 'must not be empty', code: 'required' }],
      );
      if (isFinalPresaleStatus(request.status)) {
        throw new DomainError(
          'invalid_state',
          `The request is ${request.status}: it takes no more comments; submit a new request`,
          [],
          { reason: 'presale_request_closed', params: { status: request.status } },
        );
      }
      const comment = await deps.presales.comment({
        requestId: id,
        authorRole: isStaff(principal) ? 'staff' : 'partner',
        author: principal.subject,
        body: text,
        at: now(),
      });
      await tell(request, {
        eventId: comment.id,
        kind: 'comment',
        actor: principal.name ?? principal.subject,
        byStaff: isStaff(principal),
        comment: text,
      });
      return comment;
    },
  };
}

export type PresaleService = ReturnType<typeof createPresaleService>;
