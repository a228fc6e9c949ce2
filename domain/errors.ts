/**
 * Errors the business rules raise. They carry a stable category (`code`), a stable reason
 * (`reason`, snake_case, e.g. "close_out_of_order") with its parameters, and, where the problem
 * is in one input field, its path. The API maps them to problem+json (`code` = the reason,
 * `params`), workflows to failures. Clients translate by reason and parameters; the English
 * message is for logs and people reading the raw API.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid_state'
  /** A dependency (registry, billing) cannot answer now; retrying later may work. */
  | 'unavailable';

import type { FieldCode, ProblemCode, ProblemReason } from './problem-codes';

/** Values a message is built from: numbers, dates, names, amounts as strings. */
export type ProblemParams = Readonly<Record<string, string | number>>;

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. "contact.email". */
  field: string;
  message: string;
  /** Stable reason, e.g. "required", "too_small", "inn_checksum" (see FIELD_CODES). */
  code?: FieldCode;
  params?: ProblemParams;
}

export class DomainError extends Error {
  /** The stable reason; defaults to the category when a site gives none. */
  readonly reason: ProblemCode;
  readonly params: ProblemParams;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
    reason?: ProblemReason,
  ) {
    super(message);
    this.name = 'DomainError';
    this.reason = reason?.reason ?? code;
    this.params = reason?.params ?? {};
  }
}

export function fieldError(
  field: string,
  message: string,
  code: FieldCode = 'invalid_value',
  params?: ProblemParams,
): DomainError {
  return new DomainError('validation_failed', message, [{ field, message, code, params }], {
    reason: 'validation_failed',
  });
}

/** Throws a 'validation_failed' error listing every field problem, or returns when there are none. */
export function refuseProblems(what: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const detail = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  throw new DomainError('validation_failed', `${what}: ${detail}`, problems);
}
