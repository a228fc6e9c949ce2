import { z } from 'zod';
import type { AnyRoute } from './route';
import { problemSchema } from './problem';

/**
 * Builds the OpenAPI 3.1 document from the route declarations, so the document and the
 * validation can never disagree. JSON Schema 2020-12 is OpenAPI 3.1's schema dialect.
 */
type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodObject<z.ZodRawShape> | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const full = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(full.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (full.required ?? []).includes(name),
    description: property.description,
    schema: property,
  }));
}

export function buildOpenApi(
  routes: AnyRoute[],
  info: { title: string; version: string; description: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
          : {}),
      };
    }
    const problemRef = { $ref: '#/components/schemas/Problem' };
    const problem = (description: string) => ({
      description,
      content: { 'application/problem+json': { schema: problemRef } },
    });
    if (route.params || route.query || route.body)
      responses['400'] ??= problem('Invalid input, with field-level errors');
    if (route.roles !== 'public') {
      responses['401'] ??= problem('Missing, invalid or expired bearer token');
      responses['403'] ??= problem('The token’s role may not call this operation');
    }
    responses['500'] ??= problem('Unexpected error');

    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
      tags: route.tags,
      security: route.roles === 'public' ? [] : [{ bearerAuth: [] }],
      'x-roles': route.roles === 'public' ? [] : route.roles,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  const problem = jsonSchema(problemSchema, 'output');
  delete problem.id;
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
      schemas: { Problem: problem },
    },
  };
}
