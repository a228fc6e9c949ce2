import { Readable } from 'node:stream';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { type Principal, type Role, type TokenService } from './auth';
import { fieldProblems, HttpProblem } from './problem';

/**
 * A route is declared once: method, path, roles, the zod schemas of its inputs and outputs
 * and a handler. The same declaration registers the Express handler (authentication, role
 * check and validation happen here, in one place) and generates the OpenAPI document.
 */
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteResponse {
  description: string;
  /**
   * The JSON body's schema. Error statuses (4xx, 5xx) without one answer problem+json;
   * a success status without one has no body, or a non-JSON body with a contentType.
   */
  schema?: z.ZodType;
  /**
   * The media type of a non-JSON success body (text/csv, application/zip…), declared in the
   * OpenAPI document so clients and the contract checks know what comes back.
   */
  contentType?: string;
}

export type RouteResponses = Record<number, RouteResponse>;

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  principal: Principal;
  req: Request;
  res: Response;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/**
 * What a handler may answer, checked at compile time: one of the declared success statuses
 * with a body of its schema's output type (what goes on the wire), or no body / a non-JSON
 * body with its content type where the status declares no schema. Errors are thrown
 * (DomainError, HttpProblem) and leave as problem+json.
 */
export type ResultOf<R extends RouteResponses> = {
  [S in keyof R & number]: S extends HttpStatus
    ? R[S] extends { schema: infer T extends z.ZodType }
      ? { status: S; body: z.output<T>; headers?: Record<string, string> }
      : S extends SuccessStatus
        ? | { status: S; body?: undefined; headers?: Record<string, string> }
          | {
              status: S;
              /** A Readable is streamed to the client (large downloads: a month's documents). */
              body: string | Buffer | Readable;
              contentType: string;
              headers?: Record<string, string>;
            }
        : never
    : never;
}[keyof R & number];

type SuccessStatus = 200 | 201 | 202 | 204 | 301 | 302 | 303 | 307 | 308;
/** Statuses a route may declare (a literal union keeps `status: 200` from widening). */
type HttpStatus =
  | SuccessStatus
  | 400
  | 401
  | 403
  | 404
  | 405
  | 409
  | 410
  | 413
  | 415
  | 422
  | 429
  | 500
  | 502
  | 503
  | 504;

export interface RouteSpec<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  R extends RouteResponses = RouteResponses,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. /v1/applications/:applicationId */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Roles allowed to call the route, or 'public' for no authentication. */
  roles: readonly Role[] | 'public';
  /**
   * False for routes that answer without PostgreSQL or Temporal (health, session); the
   * others may answer 503 when a dependency is down, and the document says so.
   */
  usesDependencies?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** JSON body limit when the app's default is too small (bulk routes), e.g. '20mb'. */
  bodyLimit?: string;
  responses: R;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<ResultOf<R>>;
}

export type AnyRoute = Omit<RouteSpec<AnyObject, AnyObject, z.ZodType>, 'handler'> & {
  handler: (
    ctx: HandlerContext<Record<string, unknown>, Record<string, unknown>, unknown>,
  ) => Promise<HandlerResult>;
};

export function defineRoute<
  const R extends RouteResponses,
  P extends AnyObject = z.ZodObject<Record<never, z.ZodType>>,
  Q extends AnyObject = z.ZodObject<Record<never, z.ZodType>>,
  B extends z.ZodType = z.ZodUndefined,
>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

async function authenticate(
  route: AnyRoute,
  req: Request,
  tokens: TokenService,
): Promise<Principal | undefined> {
  if (route.roles === 'public') return undefined;
  const token = bearerToken(req);
  if (!token) {
    throw new HttpProblem(
      401,
      'Unauthorized',
      'Send a bearer token in the Authorization header',
      undefined,
      {
        'WWW-Authenticate': 'Bearer',
      },
    );
  }
  const principal = await tokens.verify(token);
  if (!route.roles.includes(principal.role)) {
    throw new HttpProblem(
      403,
      'Forbidden',
      `This operation is for the role${route.roles.length > 1 ? 's' : ''} ${route.roles.join(', ')}; your token has role ${principal.role}`,
      undefined,
      {},
      'role_forbidden',
      { roles: route.roles.join(', '), role: principal.role },
    );
  }
  return principal;
}

function parsePart<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  part: string,
): z.output<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpProblem(
      400,
      'Invalid request',
      `The request ${part} is not valid`,
      fieldProblems(result.error, part, value ?? {}),
      {},
      'validation_failed',
    );
  }
  return result.data;
}

/** The JSON body limit of routes that declare none. */
export const DEFAULT_BODY_LIMIT = '256kb';

/**
 * The caller is authenticated (and authorized) before a byte of the body is read: a request
 * without a valid token is answered 401 at once, whatever it sends. Its connection is then
 * closed rather than drained, so a large unread body costs the server nothing.
 */
function authenticateFirst(route: AnyRoute, tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    authenticate(route, req, tokens).then(
      (principal) => {
        res.locals.principal = principal;
        next();
      },
      (error: unknown) => {
        const bodyPending =
          req.headers['transfer-encoding'] !== undefined ||
          Number(req.headers['content-length'] ?? 0) > 0;
        if (bodyPending && !req.complete) res.set('Connection', 'close');
        next(error);
      },
    );
  };
}

/** Reads a JSON body up to the route's own limit (bulk routes declare a larger one). */
function jsonBody(route: AnyRoute): RequestHandler {
  return express.json({
    limit: route.bodyLimit ?? DEFAULT_BODY_LIMIT,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
}

/** A readable stream, Node's own or a library's (archiver streams with readable-stream). */
function isStream(body: unknown): body is Readable {
  return (
    body instanceof Readable ||
    (typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function')
  );
}

export function mountRoutes(router: Router, routes: AnyRoute[], tokens: TokenService): void {
  for (const route of routes) {
    router[route.method](
      route.path,
      authenticateFirst(route, tokens),
      jsonBody(route),
      async (req, res) => {
        const principal = res.locals.principal as Principal | undefined;
        if (route.body && !req.is('application/json') && req.body === undefined) {
          throw new HttpProblem(415, 'Unsupported media type', 'Send the body as application/json');
        }
        const params = parsePart(route.params, req.params, 'path') ?? {};
        const query = parsePart(route.query, req.query, 'query') ?? {};
        const body = parsePart(route.body, req.body, 'body');
        const result = await route.handler({
          params,
          query,
          body,
          principal: principal as Principal,
          req,
          res,
        });
        res.status(result.status).set(result.headers ?? {});
        if (result.body === undefined) res.end();
        else if (isStream(result.body)) {
          // Headers are gone once the first byte is: a failure half-way can only cut the download.
          res.type(result.contentType ?? 'application/octet-stream');
          result.body.on('error', (error) => res.destroy(error));
          result.body.pipe(res);
        } else if (result.contentType) res.type(result.contentType).send(result.body);
        else res.json(result.body);
      },
    );
  }
  answerOtherMethods(router, routes);
}

/**
 * A known path called with a method it does not have answers 405 with an Allow header (RFC
 * 9110), not 404; OPTIONS answers 204 with the same header.
 */
export function answerOtherMethods(router: Pick<Router, 'all'>, routes: AnyRoute[]): void {
  const methods = new Map<string, Set<string>>();
  for (const route of routes) {
    const allowed = methods.get(route.path) ?? new Set<string>();
    allowed.add(route.method.toUpperCase());
    if (route.method === 'get') allowed.add('HEAD');
    methods.set(route.path, allowed);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    router.all(path, (req, res) => {
      res.set('Allow', allow);
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      throw new HttpProblem(
        405,
        'Method not allowed',
        `${req.method} is not allowed here; allowed: ${allow}`,
        undefined,
        { Allow: allow },
        'method_not_allowed',
        { method: req.method, allowed: allow },
      );
    });
  }
}
