import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PresaleStatus } from '../domain/presales';

/** Contracts of a presale request's first-answer SLA and notifications. */
export const PRESALE_REQUEST_WORKFLOW_TYPE = 'presaleRequestWorkflow';

/** One workflow per request: the id is derived from the request. */
export function presaleRequestWorkflowId(requestId: string): string {
  return `presale-request:${requestId}`;
}

export interface PresaleRequestInput {
  requestId: string;
  organizationId: string;
  topic: string;
  /** When the first answer is late (ISO instant), from the SLA in business days. */
  slaDeadline: string;
  recipients: {
    /** The presale staff's address: new requests and partners' comments. */
    staff: string;
    /** The presale leads' address: escalations. */
    leads: string;
  };
}

/**
 * The workflow's input for a stored request: one builder for the API, which starts it with the
 * request's first event, and for the worker's sweep, which starts those the API could not.
 */
export function presaleRequestInput(
  request: { id: string; organizationId: string; topic: string; slaDeadline: string },
  recipients: PresaleRequestInput['recipients'],
): PresaleRequestInput {
  return {
    requestId: request.id,
    organizationId: request.organizationId,
    topic: request.topic,
    slaDeadline: request.slaDeadline,
    recipients,
  };
}

/**
 * Something that happened to the request, sent by the API after it is stored. `eventId` is
 * the stored event's id (the audit event or the comment): a repeated signal notifies once.
 */
export interface PresaleEvent {
  eventId: string;
  kind: 'status' | 'comment';
  actor: string;
  /** Whether presale staff (or a manager) acted: their first act is the first answer. */
  byStaff: boolean;
  from?: PresaleStatus | null;
  to?: PresaleStatus;
  assignee?: string | null;
  reason?: string | null;
  comment?: string;
}

export interface PresaleRequestState {
  requestId: string;
  status: PresaleStatus;
  slaDeadline: string;
  firstAnsweredAt: string | null;
  escalatedAt: string | null;
  notifications: number;
}

export interface PresaleRequestOutcome {
  status: PresaleStatus;
  firstAnsweredAt: string | null;
  escalatedAt: string | null;
}

export const presaleEventSignal = defineSignal<[PresaleEvent]>('presaleEvent');
export const presaleRequestStateQuery = defineQuery<PresaleRequestState>('presaleRequestState');
