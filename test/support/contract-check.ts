import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Every response the integration tests receive from the API under test is checked against
 * the OpenAPI document that API serves: the status must be documented for the operation, the
 * content type must be a documented one, and a JSON body must match its schema. A method the
 * path does not list must answer 405. A response that breaks the document makes the fetch
 * reject, so the test that made the call fails and names the operation.
 *
 * It wraps the global fetch (what the tests and their helpers call), for answers from a
 * loopback address that carry the API's X-Request-Id header; an origin that serves no OpenAPI
 * document is let be.
 */
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

interface PathMatcher {
  template: string;
  pattern: RegExp;
  params: number;
}

const SCHEMA_ID = 'openapi-under-test';

class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly matchers: PathMatcher[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApi) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, SCHEMA_ID);
    this.matchers = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(
          `^${template
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}/?$`,
        ),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // A literal path (/v1/partners/me) wins over a template (/v1/partners/{partnerId}).
      .sort((a, b) => a.params - b.params);
  }

  /** What is wrong with the response, or undefined when it keeps to the document. */
  async problem(method: string, pathname: string, res: Response): Promise<string | undefined> {
    const matcher = this.matchers.find((m) => m.pattern.test(pathname));
    if (!matcher || method === 'OPTIONS') return undefined;
    const where = `${method} ${matcher.template} → ${res.status}`;
    const operations = this.document.paths[matcher.template] ?? {};
    const operation = operations[method === 'HEAD' ? 'get' : method.toLowerCase()];
    if (!operation) {
      return res.status === 405 && res.headers.get('allow')
        ? undefined
        : `${where}: the path has no ${method}, so the answer must be 405 with Allow`;
    }
    const status = String(res.status);
    const response = operation.responses[status] ?? operation.responses.default;
    if (!response) return `${where}: status not documented`;
    if (!response.content || method === 'HEAD') return undefined;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const media = response.content[type];
    if (!media) {
      return `${where}: content type ${type || '(none)'} not documented (${Object.keys(response.content).join(', ')})`;
    }
    if (!type.endsWith('json') || !media.schema) return undefined;
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${where}: the body is not JSON`;
    }
    const validate = this.validator(matcher.template, method.toLowerCase(), status, type);
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`)
      .join('; ');
    return `${where}: body does not match the schema: ${errors}`;
  }

  private validator(template: string, method: string, status: string, type: string) {
    const pointer = ['paths', template, method, 'responses', status, 'content', type, 'schema']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${SCHEMA_ID}#/${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

const realFetch = globalThis.fetch;
const checkers = new Map<string, Promise<ContractChecker | undefined>>();

async function checkerFor(origin: string): Promise<ContractChecker | undefined> {
  let checker = checkers.get(origin);
  if (!checker) {
    checker = realFetch(`${origin}/openapi.json`)
      .then(async (res) => {
        if (!res.ok) return undefined;
        const document = (await res.json()) as Partial<OpenApi>;
        return document.openapi && document.paths
          ? new ContractChecker(document as OpenApi)
          : undefined;
      })
      .catch(() => undefined);
    checkers.set(origin, checker);
  }
  return checker;
}

function requestOf(input: Parameters<typeof fetch>[0], init?: RequestInit) {
  if (input instanceof Request) return { url: new URL(input.url), method: input.method };
  return { url: new URL(String(input)), method: (init?.method ?? 'GET').toUpperCase() };
}

globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  const { url, method } = requestOf(input, init);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  // Only the platform's API stamps every answer with X-Request-Id: the tests' fake registry,
  // webhook receivers and the like are never asked for a document.
  if (!loopback || url.pathname === '/openapi.json' || !res.headers.has('x-request-id')) return res;
  const checker = await checkerFor(url.origin);
  if (!checker) return res;
  const problem = await checker.problem(method, url.pathname, res.clone());
  if (problem) throw new Error(`The API broke its OpenAPI document: ${problem}`);
  return res;
};
