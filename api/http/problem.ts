import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError, type FieldProblem } from '../../domain/errors';
import { AuthenticationError } from './auth';
import {
  DEPENDENCY_NAMES,
  DEPENDENCY_RETRY_AFTER_SECONDS,
  unavailableDependency,
} from './dependencies';

/**
 * Every error leaves the API as RFC 9457 problem+json, with field-level details where the
 * problem is in the input. This file is the one place that maps errors to HTTP.
 */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per offending field'),
  })
  .meta({ id: 'Problem' });

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

const DOMAIN_STATUS: Record<DomainError['code'], [number, string]> = {
  validation_failed: [422, 'The request breaks a business rule'],
  not_found: [404, 'Not found'],
  conflict: [409, 'Conflict'],
  forbidden: [403, 'Forbidden'],
  invalid_state: [409, 'Not allowed in the current state'],
  unavailable: [503, 'Service unavailable'],
};

/** Turns zod issues into field problems ("contact.email: Invalid email address"). */
export function fieldProblems(error: z.ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    return { field, message: issue.message };
  });
}

function send(
  res: Parameters<ErrorRequestHandler>[2],
  problem: HttpProblem,
  instance: string,
): void {
  const slug = problem.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://partner-platform.dev/problems/${slug}`,
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        instance,
        errors: problem.errors?.length ? problem.errors : undefined,
      }),
    );
}

export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof AuthenticationError) {
    return new HttpProblem(401, 'Unauthorized', error.message, undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  if (error instanceof DomainError) {
    const [status, title] = DOMAIN_STATUS[error.code];
    const headers: Record<string, string> =
      status === 503 ? { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) } : {};
    return new HttpProblem(status, title, error.message, error.fields, headers);
  }
  const dependency = unavailableDependency(error);
  if (dependency) {
    // Names the dependency, never its address or the driver's message (those are logged).
    return new HttpProblem(
      503,
      'Dependency unavailable',
      `${DEPENDENCY_NAMES[dependency]} is unavailable; try again in a few seconds`,
      [{ field: '(dependency)', message: dependency }],
      { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    );
  }
  const bodyError = error as { type?: string; status?: number; message?: string };
  if (bodyError?.type === 'entity.parse.failed') {
    return new HttpProblem(400, 'Malformed JSON', 'The request body is not valid JSON', [
      { field: '(body)', message: bodyError.message ?? 'invalid JSON' },
    ]);
  }
  if (bodyError?.type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', 'The request body exceeds the size limit');
  }
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new HttpProblem(bodyError.status, 'Bad request', bodyError.message);
  }
  return new HttpProblem(500, 'Internal server error', 'Something went wrong; it has been logged');
}

export function problemMiddleware(
  log: (error: unknown, problem: HttpProblem) => void,
): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(error);
    if (problem.status >= 500) log(error, problem);
    send(res, problem, req.originalUrl);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  send(
    res,
    new HttpProblem(404, 'Not found', `No route for ${req.method} ${req.path}`),
    req.originalUrl,
  );
};
