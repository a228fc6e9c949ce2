/**
 * Presale requests: a partner asks for the provider's experts for one of its customers or
 * projects; presale staff take the request through new → assigned → in progress → done, or
 * decline it with a reason. The transitions, the first-answer SLA and the request's own
 * checks live here; time is always passed in.
 */
import type { ProblemReason } from './problem-codes';
import {
  addDays,
  addBusinessDays,
  moscowDateOf,
  moscowMidnight,
} from './calendar/production-calendar';
import type { FieldProblem } from './errors';
import { isIsoDate } from './settlement/dates';

export const PRESALE_STATUSES = ['new', 'assigned', 'in_progress', 'done', 'declined'] as const;
export type PresaleStatus = (typeof PRESALE_STATUSES)[number];

/** The statuses staff can move a request to (a request is created `new`). */
export const PRESALE_TARGETS = ['assigned', 'in_progress', 'done', 'declined'] as const;
export type PresaleTarget = (typeof PRESALE_TARGETS)[number];

/** Business days presale staff have for the first answer unless configured otherwise. */
export const DEFAULT_PRESALE_SLA_BUSINESS_DAYS = 1;

export const PRESALE_TOPIC_MAX = 200;
export const PRESALE_DESCRIPTION_MAX = 5000;
export const PRESALE_COMMENT_MAX = 5000;
export const PRESALE_REASON_MAX = 1000;

/**
 * Which status may follow which. `assigned → assigned` hands the request to another staff
 * member; `in_progress → assigned` hands it over while work is under way. Done and declined
 * are final.
 */
const ALLOWED: Record<PresaleStatus, readonly PresaleStatus[]> = {
  new: ['assigned', 'declined'],
  assigned: ['assigned', 'in_progress', 'declined'],
  in_progress: ['assigned', 'done', 'declined'],
  done: [],
  declined: [],
};

export function isFinalPresaleStatus(status: PresaleStatus): boolean {
  return ALLOWED[status].length === 0;
}

export interface PresaleTransitionInput {
  from: PresaleStatus;
  to: PresaleTarget;
  /** The staff member the request is assigned to now (null when unassigned). */
  currentAssignee: string | null;
  /** Required when moving to `assigned`: who takes the request. */
  assignee?: string | null;
  /** Required when moving to `declined`: why, shown to the partner. */
  reason?: string | null;
}

export type PresaleTransitionResult =
  | { ok: true; to: PresaleStatus; assignee: string | null; reason: string | null }
  | { ok: false; kind: 'conflict'; message: string; reason: ProblemReason }
  | { ok: false; kind: 'invalid'; problems: FieldProblem[] };

/**
 * Decides a staff member's move. An illegal move is a conflict with the current state (the
 * API's 409); a move without what it needs (an assignee, a reason) is invalid input (422).
 */
export function presaleTransition(input: PresaleTransitionInput): PresaleTransitionResult {
  const { from, to } = input;
  if (!ALLOWED[from].includes(to)) {
    const next = ALLOWED[from];
    return {
      ok: false,
      kind: 'conflict',
      message:
        next.length === 0
          ? `The request is already ${from}; it cannot become ${to}`
          : `A request that is ${from} cannot become ${to}; it can become ${next.join(' or ')}`,
      reason: { reason: 'presale_move_not_allowed', params: { from, to } },
    };
  }
  const assignee = input.assignee?.trim() ?? '';
  const reason = input.reason?.trim() ?? '';
  if (to === 'assigned') {
    if (!assignee) {
      return {
        ok: false,
        kind: 'invalid',
        problems: [
          {
            field: 'assignee',
            message: 'must name the staff member who takes it',
            code: 'required',
          },
        ],
      };
    }
    if (assignee === input.currentAssignee) {
      return {
        ok: false,
        kind: 'conflict',
        message: `The request is already assigned to ${assignee}`,
        reason: { reason: 'presale_already_assigned', params: { assignee } },
      };
    }
    return { ok: true, to, assignee, reason: reason || null };
  }
  if (to === 'declined' && !reason) {
    return {
      ok: false,
      kind: 'invalid',
      problems: [
        { field: 'reason', message: 'must say why the request is declined', code: 'required' },
      ],
    };
  }
  return { ok: true, to, assignee: input.currentAssignee, reason: reason || null };
}

export interface PresaleSla {
  /** The last business day for the first answer (Moscow date). */
  lastAnswerDay: string;
  /** 00:00 Moscow of the day after lastAnswerDay: the first answer is late from then. */
  deadline: string;
}

/**
 * The first-answer SLA: the first answer (an assignment, a decline or a staff comment) is
 * due by the end of the n-th business day after the day the request arrived, on the
 * production calendar (a request on Friday evening is due by Monday's end).
 */
export function presaleSla(createdAt: Date | string, businessDays: number): PresaleSla {
  const lastAnswerDay = addBusinessDays(moscowDateOf(createdAt), businessDays);
  return {
    lastAnswerDay,
    deadline: moscowMidnight(addDays(lastAnswerDay, 1)).toISOString(),
  };
}

export interface PresaleRequestInput {
  customerAccountId?: string | null;
  projectId?: string | null;
  topic: string;
  description: string;
  desiredDate: string;
}

/**
 * The request's own checks: exactly one subject (a customer or a project), a topic, and a
 * desired date that is a calendar date not before today (Moscow). Whether the customer or
 * project is the partner's is for the service, which can look it up.
 */
export function presaleRequestProblems(input: PresaleRequestInput, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const hasCustomer = Boolean(input.customerAccountId);
  const hasProject = Boolean(input.projectId);
  if (hasCustomer === hasProject) {
    const message = 'name either a customer or a project, not both and not neither';
    problems.push({ field: hasCustomer ? 'projectId' : 'customerAccountId', message });
  }
  if (!input.topic.trim())
    problems.push({ field: 'topic', message: 'must not be empty', code: 'required' });
  if (!isIsoDate(input.desiredDate)) {
    problems.push({
      field: 'desiredDate',
      message: 'must be a calendar date YYYY-MM-DD',
      code: 'invalid_format',
      params: { format: 'date' },
    });
  } else if (input.desiredDate < today) {
    problems.push({
      field: 'desiredDate',
      message: `must not be in the past (today is ${today} in Moscow)`,
      code: 'date_in_past',
      params: { today },
    });
  }
  return problems;
}
