import express, { Router, type Request, type Response } from 'express';
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
  schema?: z.ZodType;
}

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

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. /v1/applications/:applicationId */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Roles allowed to call the route, or 'public' for no authentication. */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** JSON body limit when the app's default is too small (bulk routes), e.g. '20mb'. */
  bodyLimit?: string;
  responses: Record<number, RouteResponse>;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<HandlerResult>;
}

export type AnyRoute = RouteSpec<AnyObject, AnyObject, z.ZodType>;

export function defineRoute<
  P extends AnyObject = z.ZodObject<Record<never, z.ZodType>>,
  Q extends AnyObject = z.ZodObject<Record<never, z.ZodType>>,
  B extends z.ZodType = z.ZodUndefined,
>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec;
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
      fieldProblems(result.error, part),
    );
  }
  return result.data;
}

/**
 * JSON parsers for the routes that declare a bodyLimit. Mount it before the app's default
 * parser: a body read here is skipped there, so only these routes accept larger bodies.
 */
export function ownBodyLimits(routes: AnyRoute[]): Router {
  const router = Router();
  for (const route of routes) {
    if (!route.bodyLimit) continue;
    router[route.method](
      route.path,
      express.json({
        limit: route.bodyLimit,
        strict: true,
        type: ['application/json', 'application/*+json'],
      }),
    );
  }
  return router;
}

export function mountRoutes(router: Router, routes: AnyRoute[], tokens: TokenService): void {
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      const principal = await authenticate(route, req, tokens);
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
      else if (result.contentType) res.type(result.contentType).send(result.body);
      else res.json(result.body);
    });
  }
}
