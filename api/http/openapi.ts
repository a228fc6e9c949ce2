import { z } from 'zod';
import type { AnyRoute } from './route';
import { problemSchema } from './problem';
import { RATE_LIMIT_EXEMPT_PATHS } from './hardening';

/**
 * Builds the OpenAPI 3.1 document from the route declarations, so the document and the
 * validation can never disagree. JSON Schema 2020-12 is OpenAPI 3.1's schema dialect.
 *
 * Schemas named with `.meta({ id })` become `components.schemas` entries: zod puts them in
 * the generated schema's `$defs`, which only resolve inside that schema, so they are hoisted
 * into the document's components and every `#/$defs/X` reference is rewritten to point there.
 */
type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
const PROBLEM_JSON = 'application/problem+json';

/** Collects the named schemas of every route into one `components.schemas`. */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of a zod schema, its named parts moved to the components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const out = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    delete out.$schema;
    const defs = (out.$defs ?? {}) as Record<string, JsonSchema>;
    delete out.$defs;
    // A name may stand for two shapes (a default makes a field optional on input only):
    // the second shape gets its own name.
    const names = new Map<string, string>(Object.keys(defs).map((name) => [name, name]));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      const result: JsonSchema = {};
      for (const [key, inner] of Object.entries(value)) {
        result[key] =
          key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
            ? COMPONENTS + (names.get(inner.slice('#/$defs/'.length)) ?? '')
            : rewrite(inner);
      }
      return result;
    };
    for (const [name, def] of Object.entries(defs)) {
      names.set(name, this.nameFor(name, rewrite(def) as JsonSchema, io));
    }
    for (const [name, def] of Object.entries(defs)) {
      this.schemas[names.get(name) ?? name] = rewrite(def) as JsonSchema;
    }
    return rewrite(out) as JsonSchema;
  }

  private nameFor(name: string, def: JsonSchema, io: 'input' | 'output'): string {
    const candidates = [name, `${name}${io === 'input' ? 'Input' : 'Output'}`];
    for (const candidate of candidates) {
      const existing = this.schemas[candidate];
      if (!existing || JSON.stringify(existing) === JSON.stringify(def)) return candidate;
    }
    throw new Error(`Schema name ${name} stands for more than two shapes`);
  }
}

function parameters(
  components: SchemaComponents,
  schema: z.ZodObject<z.ZodRawShape> | undefined,
  where: 'path' | 'query',
) {
  if (!schema) return [];
  const full = components.convert(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(full.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (full.required ?? []).includes(name),
    ...(property.description ? { description: property.description } : {}),
    schema: property,
  }));
}

const problem = (description: string, headers?: Record<string, string>) => ({
  description,
  ...(headers
    ? {
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, text]) => [
            name,
            { description: text, schema: { type: 'string' } },
          ]),
        ),
      }
    : {}),
  content: { [PROBLEM_JSON]: { schema: { $ref: `${COMPONENTS}Problem` } } },
});

/**
 * The statuses the framework itself answers, per route: what `mountRoutes`, the body parser
 * and the error middleware (problem.ts) produce, whatever the handler does.
 */
function frameworkResponses(route: AnyRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  if (route.params || route.query || route.body) {
    responses['400'] = problem('Invalid input (or malformed JSON), with field-level `errors`');
  }
  if (route.roles !== 'public') {
    responses['401'] = problem('Missing, invalid or expired bearer token', {
      'WWW-Authenticate': 'Bearer',
    });
    responses['403'] = problem('The token’s role may not call this operation');
  }
  if (route.path.includes(':')) {
    responses['404'] = problem('No such resource (or not yours)');
  } else if (route.path.startsWith('/v1/partners/me')) {
    responses['404'] = problem('Your organization is not a partner');
  }
  if (route.body) {
    responses['413'] = problem('The request body is larger than the limit');
    responses['415'] = problem('The body is not application/json');
  }
  if (route.usesDependencies !== false) {
    responses['503'] = problem(
      'PostgreSQL or Temporal cannot be reached now (`errors` names which); try again later',
      { 'Retry-After': 'Seconds to wait before trying again' },
    );
  } else if (route.roles !== 'public') {
    // The token is checked against the identity provider's published keys (docs/SIGN-IN.md).
    responses['503'] = problem(
      'The identity provider cannot be reached to check the token; try again later',
      { 'Retry-After': 'Seconds to wait before trying again' },
    );
  }
  if (!RATE_LIMIT_EXEMPT_PATHS.has(route.path)) {
    responses['429'] = problem('Too many requests from this token or address (docs/SECURITY.md)', {
      'Retry-After': 'Seconds until the limit resets',
    });
  }
  responses['500'] = problem('Unexpected error (logged)');
  return responses;
}

function declaredResponse(
  components: SchemaComponents,
  status: number,
  response: AnyRoute['responses'][number],
) {
  if (response.schema) {
    return {
      description: response.description,
      content: { 'application/json': { schema: components.convert(response.schema, 'output') } },
    };
  }
  if (response.contentType && status < 400) {
    // A download: text (CSV) is a string, anything else binary content of that media type.
    const text = response.contentType.startsWith('text/');
    return {
      description: response.description,
      content: {
        [response.contentType]: {
          schema: text ? { type: 'string' } : { type: 'string', format: 'binary' },
        },
      },
    };
  }
  return status >= 400 ? problem(response.description) : { description: response.description };
}

export function buildOpenApi(
  routes: AnyRoute[],
  info: { title: string; version: string; description: string },
) {
  const components = new SchemaComponents();
  components.convert(problemSchema, 'output'); // registers Problem
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = frameworkResponses(route);
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = declaredResponse(components, Number(status), response);
    }
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      security: route.roles === 'public' ? [] : [{ bearerAuth: [] }],
      'x-roles': route.roles === 'public' ? [] : route.roles,
      parameters: [
        ...parameters(components, route.params, 'path'),
        ...parameters(components, route.query, 'query'),
      ],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: components.convert(route.body, 'input') },
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Roles: partner (one organization), manager, finance, billing-system',
        },
      },
      schemas: components.schemas,
      responses: {
        MethodNotAllowed: problem(
          'Any path of this document answers a method it does not list with 405 and an ' +
            '`Allow` header naming the methods it does list',
          { Allow: 'The methods of the path' },
        ),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
