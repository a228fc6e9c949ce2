import type { PayloadCodec, Payload } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { CodecEndpointSettings } from '../../../config';
import { PayloadDecryptionError } from '../../../config/payload-codec';
import { ROLES, type Role } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { defineRoute, type AnyRoute } from '../../http/route';

/**
 * The remote codec the Temporal Web UI (and `temporal --codec-endpoint`) calls to show the
 * platform's encrypted payloads in plain text: POST /codec/decode and /codec/encode take and
 * return `{ payloads: [...] }` in Temporal's JSON form (metadata values and data in base64).
 * Only staff who may see bank details and contacts call it (TEMPORAL_CODEC_ROLES); the Web UI
 * calls it from the browser, so its origin is allowed by CORS (docs/PAYLOAD-ENCRYPTION.md).
 */
export interface CodecEndpointDeps {
  /** The platform's codec; none = payloads are plain and pass through unchanged. */
  codec?: PayloadCodec;
  /** The one namespace this platform's payloads live in. */
  namespace: string;
  settings: CodecEndpointSettings;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const payloadJson = z
  .object({
    metadata: z
      .record(z.string(), base64)
      .optional()
      .describe('Metadata values in base64, e.g. encoding'),
    data: base64.optional().describe('The payload bytes in base64'),
  })
  .describe('A Temporal payload in its JSON form');

const payloadList = z.object({ payloads: z.array(payloadJson).max(10_000) });

/** Headers the Web UI sends: the namespace, and its access token when told to pass it. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

/**
 * CORS for the Web UI's origins, before any route: a preflight is answered here, and a real
 * call gets the headers that let the browser read the answer (including a 401 or 403).
 */
export function codecCors(settings: CodecEndpointSettings): RequestHandler {
  const origins = new Set(settings.corsOrigins);
  return (req, res, next) => {
    if (!req.path.startsWith('/codec/')) return next();
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin && origins.has(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        // The Web UI's "include cross-origin credentials" setting sends cookies or auth.
        'Access-Control-Allow-Credentials': 'true',
      });
      if (req.method === 'OPTIONS') {
        res
          .set({
            'Access-Control-Allow-Methods': 'POST',
            'Access-Control-Allow-Headers': ALLOWED_HEADERS,
            'Access-Control-Max-Age': '600',
          })
          .status(204)
          .end();
        return;
      }
    }
    next();
  };
}

function toPayload(json: z.output<typeof payloadJson>): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(json.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64'),
      ]),
    ),
    data: Buffer.from(json.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): z.output<typeof payloadJson> {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

export function codecRoutes(deps: CodecEndpointDeps): AnyRoute[] {
  const unknown = deps.settings.roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length > 0) {
    throw new Error(
      `TEMPORAL_CODEC_ROLES: ${unknown.join(', ')} is not a role (${ROLES.join(', ')})`,
    );
  }
  const roles = deps.settings.roles as Role[];
  const anonymous = deps.settings.localAnonymous;

  const route = (direction: 'decode' | 'encode') =>
    defineRoute({
      method: 'post',
      path: `/codec/${direction}`,
      operationId: direction === 'decode' ? 'codecDecode' : 'codecEncode',
      summary:
        direction === 'decode'
          ? 'Temporal Web UI remote codec: decrypts workflow payloads'
          : 'Temporal Web UI remote codec: encrypts payloads (signals sent from the UI)',
      description:
        `For the roles ${roles.join(', ')} (TEMPORAL_CODEC_ROLES)` +
        (anonymous
          ? '; this deployment also answers callers on its own machine without a token'
          : '') +
        '. X-Namespace, when sent, must be the platform’s namespace. Payloads encrypted with a key ' +
        'that is not configured, or altered, are refused with 400.',
      tags: ['Operations'],
      roles: anonymous ? 'public' : roles,
      usesDependencies: false,
      body: payloadList,
      // Temporal refuses a payload over 2 MB; in base64 with its neighbours it fits in 4.
      bodyLimit: '4mb',
      responses: {
        200: { description: 'The same payloads, decoded or encoded', schema: payloadList },
      },
      handler: async ({ body, req, principal }) => {
        if (anonymous && !principal && !isLoopback(req.socket.remoteAddress)) {
          throw new HttpProblem(
            401,
            'Unauthorized',
            'Only callers on this machine may use the codec without a token',
            undefined,
            { 'WWW-Authenticate': 'Bearer' },
          );
        }
        const namespace = req.header('x-namespace');
        if (namespace && namespace !== deps.namespace) {
          throw new HttpProblem(
            400,
            'Unknown namespace',
            `This codec serves the namespace ${deps.namespace}, not ${namespace}`,
          );
        }
        const payloads = body.payloads.map(toPayload);
        let result: Payload[];
        try {
          result = !deps.codec
            ? payloads
            : direction === 'decode'
              ? await deps.codec.decode(payloads)
              : await deps.codec.encode(payloads);
        } catch (error) {
          if (!(error instanceof PayloadDecryptionError)) throw error;
          throw new HttpProblem(400, 'Payload not decrypted', error.message);
        }
        return { status: 200 as const, body: { payloads: result.map(toJson) } };
      },
    });
  return [route('decode'), route('encode')];
}
