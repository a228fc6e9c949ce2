/**
 * Errors the business rules raise. They carry a stable code and, where the problem is in
 * one input field, its path; the API maps them to problem+json, workflows to failures.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid_state'
  /** A dependency (registry, billing) cannot answer now; retrying later may work. */
  | 'unavailable';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. "contact.email". */
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function fieldError(field: string, message: string): DomainError {
  return new DomainError('validation_failed', message, [{ field, message }]);
}

/** Throws a 'validation_failed' error listing every field problem, or returns when there are none. */
export function refuseProblems(what: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const detail = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  throw new DomainError('validation_failed', `${what}: ${detail}`, problems);
}
