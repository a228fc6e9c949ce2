import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApi, type RunningApi } from '../../api/server';
import { ensurePythonTools } from '../../scripts/infra/python-tools';
import { run } from '../../scripts/infra/process';
import { testConfig } from '../support/env';

/**
 * The document clients generate code from: an independent validator accepts it, every
 * reference resolves, every status is documented with its body, and a path answers methods
 * it does not have with 405.
 */
type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  requestBody?: Json;
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

describe('the OpenAPI document', () => {
  let api: RunningApi;
  let document: Json & { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    api = await startApi(testConfig(), { port: 0 });
    const res = await fetch(`${api.url}/openapi.json`);
    expect(res.status).toBe(200);
    document = (await res.json()) as typeof document;
  });

  afterAll(async () => {
    await api?.close();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path: p, method, operation })),
    );

  it('passes openapi-spec-validator (OpenAPI 3.1)', async () => {
    const tools = await ensurePythonTools();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(document));
    const { stdout } = await run(tools.python, [...tools.openapiSpecValidator, file]);
    expect(stdout).toContain('OK');
  }, 120_000);

  it('has every $ref resolve inside the document', () => {
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === '$ref' && typeof inner === 'string') refs.push(inner);
          else walk(inner);
        }
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(50);
    const unresolved = [...new Set(refs)].filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let node: unknown = document;
      for (const part of ref.slice(2).split('/')) {
        const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
        if (!node || typeof node !== 'object' || !(key in node)) return true;
        node = (node as Json)[key];
      }
      return node === undefined;
    });
    expect(unresolved).toEqual([]);
    const schemas = (document.components as { schemas: Json }).schemas;
    for (const name of ['Problem', 'Application', 'Partner', 'ConsumptionLine']) {
      expect(schemas[name]).toMatchObject({ type: 'object' });
    }
  });

  it('documents every error status with the problem+json schema, and each JSON body with a schema', () => {
    const missing: string[] = [];
    for (const { path: p, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${p}`;
      for (const [status, response] of Object.entries(operation.responses)) {
        const code = Number(status);
        if (code >= 400 && p !== '/healthz') {
          const schema = response.content?.['application/problem+json']?.schema;
          if (schema?.$ref !== '#/components/schemas/Problem') missing.push(`${where} ${status}`);
        }
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (type.includes('json') && !media.schema) missing.push(`${where} ${status} ${type}`);
        }
      }
      const statuses = Object.keys(operation.responses);
      if (operation.requestBody) {
        for (const s of ['400', '413', '415'])
          if (!statuses.includes(s)) missing.push(`${where} ${s}`);
      }
      const noDependencies = [
        '/healthz',
        '/metrics',
        '/openapi.json',
        '/v1/session/config',
        '/v1/dev/identities',
      ];
      if (!noDependencies.includes(p)) {
        if (!statuses.includes('503')) missing.push(`${where} 503`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives realistic examples: INN, BIK, phone, e-mail, money as decimal strings', () => {
    const text = JSON.stringify(document);
    expect(text).toMatch(/"examples":\["7704123450"\]/); // an INN
    expect(text).toMatch(/"examples":\["044525225"\]/); // a BIK
    expect(text).toMatch(/"examples":\["\+7 495 123-45-67"\]/);
    expect(text).toMatch(/"examples":\["anna\.petrova@example\.ru"\]/);
    expect(text).toMatch(/"examples":\["\d+\.\d{2}"\]/);
  });

  it('answers a method a path does not have with 405, an Allow header and a problem', async () => {
    const res = await fetch(`${api.url}/v1/session`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 405, title: 'Method not allowed' });

    const post = await fetch(
      `${api.url}/v1/applications/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      {
        method: 'PUT',
      },
    );
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');

    const options = await fetch(`${api.url}/v1/closes`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, GET, HEAD, OPTIONS');

    // An unknown path is still 404.
    expect((await fetch(`${api.url}/v1/no-such-thing`, { method: 'DELETE' })).status).toBe(404);
  });
});
