import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError, type FieldProblem, type ProblemParams } from '../../domain/errors';
import { type FieldCode, type ProblemCode, isFieldCode } from '../../domain/problem-codes';
import { AuthenticationError } from './auth';
import {
  DEPENDENCY_NAMES,
  DEPENDENCY_RETRY_AFTER_SECONDS,
  unavailableDependency,
} from './dependencies';

/**
 * Every error leaves the API as RFC 9457 problem+json, with field-level details where the
 * problem is in the input. Beside the English text each problem carries a stable `code` and
 * its `params` (catalogued in domain/problem-codes.ts), and so does each field problem: clients
 * translate those. This file is the one place that maps errors to HTTP.
 */
const paramsSchema = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .describe('The values the message is built from, by name (see the code)');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().describe('English text; clients translate `code` instead'),
    instance: z.string().optional(),
    code: z
      .string()
      .describe(
        'Stable snake_case reason, e.g. close_out_of_order, or the category ' +
          '(validation_failed, not_found, conflict, invalid_state, …) when none is more specific',
      ),
    params: paramsSchema,
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string(),
          code: z
            .string()
            .describe('Stable reason: required, invalid_type, too_small, invalid_format, …'),
          params: paramsSchema,
        }),
      )
      .optional()
      .describe('One entry per offending field'),
  })
  .meta({
    id: 'Problem',
    example: {
      type: 'https://partner-platform.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Close 2026-09 first: months close in order',
      instance: '/v1/settlement/months/2026-10/close',
      code: 'close_out_of_order',
      params: { month: '2026-09' },
    },
  });

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
    readonly code: ProblemCode = codeForStatus(status),
    readonly params: ProblemParams = {},
  ) {
    super(detail ?? title);
  }
}

/** The category a problem raised without a reason of its own falls into. */
function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'validation_failed';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
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

/**
 * Turns zod issues into field problems ("contact.email: Invalid email address") with a stable
 * code and its parameters: a missing value is `required`; a refinement may name its own code
 * in its params (`{ params: { code: 'must_be_positive' } }`), otherwise it is `custom`.
 */
export function fieldProblems(error: z.ZodError, prefix?: string, input?: unknown): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    const missing = input !== undefined && valueAt(input, issue.path) === undefined;
    return { field, message: issue.message, ...issueCode(issue, missing) };
  });
}

/** The value at a path of the parsed input; undefined when any step is missing. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issueCode(
  issue: z.core.$ZodIssue,
  missing: boolean,
): { code: FieldCode; params: ProblemParams } {
  // A field left out is refused as a wrong type (or, for a choice, a wrong value) of undefined.
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && missing) {
    return { code: 'required', params: {} };
  }
  switch (issue.code) {
    case 'invalid_type':
      return { code: 'invalid_type', params: { expected: issue.expected } };
    case 'too_small':
      return {
        code: 'too_small',
        params: { minimum: bound(issue.minimum), origin: issue.origin },
      };
    case 'too_big':
      return {
        code: 'too_big',
        params: { maximum: bound(issue.maximum), origin: issue.origin },
      };
    case 'invalid_format':
      return { code: 'invalid_format', params: { format: issue.format } };
    case 'invalid_value':
      return {
        code: 'invalid_value',
        params: { values: issue.values.map((v) => String(v)).join(', ') },
      };
    case 'unrecognized_keys':
      return { code: 'unrecognized_keys', params: { keys: issue.keys.join(', ') } };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: bound(issue.divisor) } };
    case 'custom': {
      const own: unknown = issue.params?.code;
      if (typeof own === 'string' && isFieldCode(own)) {
        const params: Record<string, string | number> = {};
        for (const [name, value] of Object.entries(issue.params ?? {})) {
          if (name !== 'code' && (typeof value === 'string' || typeof value === 'number')) {
            params[name] = value;
          }
        }
        return { code: own, params };
      }
      return { code: 'custom', params: {} };
    }
    default:
      // invalid_union, invalid_key, invalid_element: the value is not one the schema takes.
      return { code: 'invalid_type', params: { expected: 'valid value' } };
  }
}

function bound(value: number | bigint): number | string {
  return typeof value === 'bigint' ? value.toString() : value;
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
        code: problem.code,
        params: problem.params,
        errors: problem.errors?.length
          ? problem.errors.map((e) => ({
              field: e.field,
              message: e.message,
              code: e.code ?? 'custom',
              params: e.params ?? {},
            }))
          : undefined,
      }),
    );
}

export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof AuthenticationError) {
    return new HttpProblem(
      401,
      'Unauthorized',
      error.message,
      undefined,
      { 'WWW-Authenticate': 'Bearer' },
      'unauthorized',
    );
  }
  if (error instanceof DomainError) {
    const [status, title] = DOMAIN_STATUS[error.code];
    const headers: Record<string, string> =
      status === 503 ? { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) } : {};
    return new HttpProblem(
      status,
      title,
      error.message,
      error.fields,
      headers,
      error.reason,
      error.params,
    );
  }
  const dependency = unavailableDependency(error);
  if (dependency) {
    // Names the dependency, never its address or the driver's message (those are logged).
    return new HttpProblem(
      503,
      'Dependency unavailable',
      `${DEPENDENCY_NAMES[dependency]} is unavailable; try again in a few seconds`,
      [{ field: '(dependency)', message: dependency, code: 'custom' }],
      { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
      'dependency_unavailable',
      { dependency },
    );
  }
  const bodyError = error as { type?: string; status?: number; message?: string };
  if (bodyError?.type === 'entity.parse.failed') {
    return new HttpProblem(
      400,
      'Malformed JSON',
      'The request body is not valid JSON',
      [
        {
          field: '(body)',
          message: bodyError.message ?? 'invalid JSON',
          code: 'invalid_format',
          params: { format: 'json' },
        },
      ],
      {},
      'malformed_json',
    );
  }
  if (bodyError?.type === 'entity.too.large') {
    return new HttpProblem(
      413,
      'Payload too large',
      'The request body exceeds the size limit',
      undefined,
      {},
      'payload_too_large',
    );
  }
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new HttpProblem(bodyError.status, 'Bad request', bodyError.message);
  }
  return new HttpProblem(
    500,
    'Internal server error',
    'Something went wrong; it has been logged',
    undefined,
    {},
    'internal_error',
  );
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
    new HttpProblem(
      404,
      'Not found',
      `No route for ${req.method} ${req.path}`,
      undefined,
      {},
      'route_not_found',
      { method: req.method, path: req.path },
    ),
    req.originalUrl,
  );
};
