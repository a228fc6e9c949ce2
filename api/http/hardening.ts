import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { HttpSecurity } from '../../config';
import { HttpProblem } from './problem';

/**
 * The API's hardened defaults (docs/SECURITY.md): security headers, rate limits per token and
 * per client address, and who may read /metrics and /docs. The settings come from
 * configuration; development and tests get limits no test or benchmark reaches.
 */

/** What development and tests use when no settings are given (scripts/openapi-types.ts). */
export const OPEN_HTTP_SECURITY: HttpSecurity = {
  hsts: false,
  connectSources: [],
  rateLimit: {
    windowSeconds: 60,
    perToken: 1_000_000,
    perAddress: 1_000_000,
    authFailuresPerAddress: 1_000_000,
  },
  metrics: { public: true },
  docsPublic: true,
};

/** Paths never limited: load balancers and orchestrators poll them. */
export const RATE_LIMIT_EXEMPT_PATHS: ReadonlySet<string> = new Set(['/healthz']);

/**
 * CSP, frame-ancestors 'none', nosniff, referrer policy, and HSTS in production. The portal is
 * a vite build served from this origin (scripts, styles, fonts and images as files, small ones
 * inlined as data: URLs); React sets inline styles through the DOM, which CSP allows.
 */
export function securityHeaders(settings: HttpSecurity): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(settings, false) },
    strictTransportSecurity: settings.hsts
      ? { maxAge: 365 * 24 * 3600, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

/** Swagger UI's page carries its own inline <style> blocks; its scripts are files. */
export function docsSecurityHeaders(settings: HttpSecurity): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: directives(settings, true),
  });
}

function directives(
  settings: HttpSecurity,
  inlineStyles: boolean,
): Record<string, Iterable<string> | null> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'script-src': ["'self'"],
    'style-src': inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...settings.connectSources],
    ...(settings.hsts ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The address a limit counts by: an IPv6 client's whole /56, as one user usually holds it. */
function addressKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/**
 * 429 problem+json with Retry-After (seconds until the window resets), handed to the app's one
 * error middleware.
 */
function tooManyRequests(what: string): RequestHandler {
  return (req, _res, next) => {
    const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
    const resetAt = info?.resetTime?.getTime() ?? Date.now() + 1000;
    const seconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
    next(
      new HttpProblem(
        429,
        'Too many requests',
        `Too many requests ${what}; try again in ${seconds} s`,
        undefined,
        { 'Retry-After': String(seconds) },
        'rate_limited',
        { seconds },
      ),
    );
  };
}

/**
 * Three limits, each counted per window and kept in this process's memory (every API replica
 * counts on its own): requests per bearer token (keyed by a hash, so tokens are not kept),
 * requests per client address, and requests per address answered 401, which stops guessing
 * or forging tokens long before the address limit does. Health checks are never limited.
 */
export function rateLimits(settings: HttpSecurity): RequestHandler[] {
  const { windowSeconds, perToken, perAddress, authFailuresPerAddress } = settings.rateLimit;
  const common = {
    windowMs: windowSeconds * 1000,
    standardHeaders: 'draft-6' as const,
    legacyHeaders: false,
  };
  const exempt = (req: Request) => RATE_LIMIT_EXEMPT_PATHS.has(req.path);
  return [
    rateLimit({
      ...common,
      limit: authFailuresPerAddress,
      // Counts only the requests answered 401; earlier failures refuse the next ones at once.
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      standardHeaders: false,
      skip: exempt,
      keyGenerator: (req) => addressKey(req),
      handler: tooManyRequests('with invalid credentials from your address'),
    }),
    rateLimit({
      ...common,
      limit: perAddress,
      skip: exempt,
      keyGenerator: (req) => addressKey(req),
      handler: tooManyRequests('from your address'),
    }),
    rateLimit({
      ...common,
      limit: perToken,
      skip: (req) => exempt(req) || bearerToken(req) === undefined,
      keyGenerator: (req) =>
        createHash('sha256')
          .update(bearerToken(req) ?? '')
          .digest('base64url'),
      handler: tooManyRequests('with this token'),
    }),
  ];
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function notFound(req: Request): HttpProblem {
  const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
  return new HttpProblem(
    404,
    'Not found',
    `No route for ${req.method} ${path}`,
    undefined,
    {},
    'route_not_found',
    { method: req.method, path },
  );
}

/**
 * /metrics: open when configured public; otherwise for `Authorization: Bearer <METRICS_TOKEN>`
 * (what Prometheus sends), and not there at all when no token is configured.
 */
export function metricsAccess(settings: HttpSecurity): RequestHandler {
  return (req, _res, next) => {
    const { public: open, token } = settings.metrics;
    if (open) return next();
    if (!token) return next(notFound(req));
    const given = bearerToken(req);
    if (given !== undefined && sameSecret(given, token)) return next();
    next(
      new HttpProblem(
        401,
        'Unauthorized',
        'Send the metrics token as a bearer token',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        'unauthorized',
      ),
    );
  };
}

/** /docs (Swagger UI) is not there unless configured public; /openapi.json always is. */
export function docsAccess(settings: HttpSecurity): RequestHandler {
  return (req, _res, next) => next(settings.docsPublic ? undefined : notFound(req));
}
