import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCompanyRegistry,
  createHttpCompanyRegistry,
  createOfflineCompanyRegistry,
  InvalidInnError,
  REGISTRY_NON_RETRYABLE_ERRORS,
  REGISTRY_RETRYABLE_ERRORS,
  RegistryResponseError,
  RegistryUnavailableError,
} from '../../activities/registry/company-registry';
import { COMPANY_FIXTURES, FIXTURE_INN } from '../../activities/registry/fixtures';
import { companyRefusal, type CompanyCard } from '../../domain/company';
import { validateInn, validateKpp, validateOgrn } from '../../domain/validators';

function fixture(inn: string): CompanyCard {
  const card = COMPANY_FIXTURES.find((c) => c.inn === inn);
  if (!card) throw new Error(`no fixture with INN ${inn}`);
  return card;
}

/** Resolves with the error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}

describe('company fixtures', () => {
  it('has at least 6 companies with distinct INNs', () => {
    expect(COMPANY_FIXTURES.length).toBeGreaterThanOrEqual(6);
    expect(new Set(COMPANY_FIXTURES.map((c) => c.inn)).size).toBe(COMPANY_FIXTURES.length);
  });

  it.each(COMPANY_FIXTURES.map((card) => [card.inn, card] as const))(
    '%s passes the domain validators and is consistent',
    (_inn, card) => {
      const inn = validateInn(card.inn);
      expect(inn).toEqual({ ok: true, kind: card.kind, inn: card.inn });
      const ogrn = validateOgrn(card.ogrn);
      expect(ogrn).toEqual({ ok: true, kind: card.kind, ogrn: card.ogrn });
      if (card.kind === 'individual_entrepreneur') {
        expect(card.kpp).toBeNull();
      } else {
        expect(card.kpp).not.toBeNull();
        expect(validateKpp(card.kpp ?? '')).toEqual({ ok: true, kpp: card.kpp });
      }
      expect(card.registeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // OGRN digits 2–3 are the last two digits of the registration year.
      expect(card.ogrn.slice(1, 3)).toBe(card.registeredOn.slice(2, 4));
      expect(card.name.trim()).not.toBe('');
      expect(card.address.trim()).not.toBe('');
    },
  );

  it('covers the cases the tests rely on', () => {
    expect(fixture(FIXTURE_INN.active).status).toBe('active');
    expect(fixture(FIXTURE_INN.smallLlc).status).toBe('active');
    expect(fixture(FIXTURE_INN.regional).status).toBe('active');
    expect(fixture(FIXTURE_INN.individualEntrepreneur)).toMatchObject({
      kind: 'individual_entrepreneur',
      kpp: null,
    });
    expect(fixture(FIXTURE_INN.individualEntrepreneur).inn).toHaveLength(12);
    expect(fixture(FIXTURE_INN.individualEntrepreneur).ogrn).toHaveLength(15);
    expect(fixture(FIXTURE_INN.liquidated).status).toBe('liquidated');
    expect(fixture(FIXTURE_INN.liquidating).status).toBe('liquidating');
  });

  it('has an unknown INN that is valid but not a fixture', () => {
    expect(validateInn(FIXTURE_INN.unknown).ok).toBe(true);
    expect(COMPANY_FIXTURES.some((c) => c.inn === FIXTURE_INN.unknown)).toBe(false);
  });
});

describe('companyRefusal', () => {
  it.each([FIXTURE_INN.active, FIXTURE_INN.smallLlc, FIXTURE_INN.individualEntrepreneur])(
    'accepts the active company %s',
    (inn) => {
      expect(companyRefusal(fixture(inn))).toBeNull();
    },
  );

  it('refuses a liquidated company, naming it and its INN', () => {
    const card = fixture(FIXTURE_INN.liquidated);
    const message = companyRefusal(card);
    expect(message).toContain('liquidated');
    expect(message).toContain(card.name);
    expect(message).toContain(card.inn);
    expect(message).toContain('cannot become a partner');
  });

  it('refuses a company in liquidation, naming it and its INN', () => {
    const card = fixture(FIXTURE_INN.liquidating);
    const message = companyRefusal(card);
    expect(message).toContain('in liquidation');
    expect(message).toContain(card.name);
    expect(message).toContain(card.inn);
    expect(message).toContain('cannot become a partner');
  });
});

describe('offline company registry', () => {
  const registry = createOfflineCompanyRegistry();

  it.each(COMPANY_FIXTURES.map((card) => [card.inn, card] as const))(
    'finds %s',
    async (inn, card) => {
      await expect(registry.findByInn(inn)).resolves.toEqual(card);
    },
  );

  it('returns null for an unknown INN', async () => {
    await expect(registry.findByInn(FIXTURE_INN.unknown)).resolves.toBeNull();
  });

  it('ignores spaces around the INN', async () => {
    await expect(registry.findByInn(` ${FIXTURE_INN.active} `)).resolves.toEqual(
      fixture(FIXTURE_INN.active),
    );
  });

  it('rejects a malformed INN with InvalidInnError', async () => {
    const error = await rejection(registry.findByInn('7704123451'));
    expect(error).toBeInstanceOf(InvalidInnError);
    expect(error.name).toBe('InvalidInnError');
    expect(error.message).toContain('check digit');
  });

  it('returns copies, so callers cannot change the fixtures', async () => {
    const first = await registry.findByInn(FIXTURE_INN.active);
    if (!first) throw new Error('fixture not found');
    first.status = 'liquidated';
    await expect(registry.findByInn(FIXTURE_INN.active)).resolves.toMatchObject({
      status: 'active',
    });
    expect(fixture(FIXTURE_INN.active).status).toBe('active');
  });

  it('serves custom fixtures', async () => {
    const only = fixture(FIXTURE_INN.smallLlc);
    const custom = createOfflineCompanyRegistry([only]);
    await expect(custom.findByInn(only.inn)).resolves.toEqual(only);
    await expect(custom.findByInn(FIXTURE_INN.active)).resolves.toBeNull();
  });
});

describe('registry error classes', () => {
  it('name themselves so Temporal retry policies can list them', () => {
    expect(new RegistryUnavailableError('x').name).toBe('RegistryUnavailableError');
    expect(new RegistryResponseError('x').name).toBe('RegistryResponseError');
    expect(new InvalidInnError('1', 'is bad').name).toBe('InvalidInnError');
    expect(REGISTRY_NON_RETRYABLE_ERRORS).toEqual(['RegistryResponseError', 'InvalidInnError']);
    expect(REGISTRY_RETRYABLE_ERRORS).toEqual(['RegistryUnavailableError']);
  });
});

/** A real HTTP server on a free local port; each test sets how it answers. */
describe('HTTP company registry', () => {
  const TOKEN = 'test-registry-token';
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  let requests: { method?: string; url?: string; authorization?: string; accept?: string }[];

  function answer(status: number, body?: unknown, headers: Record<string, string> = {}): Handler {
    return (_req, res) => {
      const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
  }

  function client(options: { token?: string; timeoutMs?: number } = {}) {
    return createHttpCompanyRegistry({ baseUrl, token: TOKEN, ...options });
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        accept: req.headers.accept,
      });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = [];
    handler = answer(500, { error: 'no handler set' });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  it('returns the company card, asking GET /v1/companies/{inn} with the bearer token', async () => {
    const card = fixture(FIXTURE_INN.active);
    handler = answer(200, card);

    await expect(client().findByInn(card.inn)).resolves.toEqual(card);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: `/v1/companies/${card.inn}`,
        authorization: `Bearer ${TOKEN}`,
        accept: 'application/json',
      },
    ]);
  });

  it('keeps a path prefix of the base URL and tolerates a trailing slash', async () => {
    const card = fixture(FIXTURE_INN.individualEntrepreneur);
    handler = answer(200, card);
    const registry = createHttpCompanyRegistry({ baseUrl: `${baseUrl}/registry/`, token: TOKEN });

    await expect(registry.findByInn(card.inn)).resolves.toEqual(card);
    expect(requests[0]?.url).toBe(`/registry/v1/companies/${card.inn}`);
  });

  it('drops fields the card does not know and trims the name', async () => {
    const card = fixture(FIXTURE_INN.smallLlc);
    handler = answer(200, { ...card, name: `  ${card.name} `, taxRegime: 'usn' });

    await expect(client().findByInn(card.inn)).resolves.toEqual(card);
  });

  it('sends no Authorization header when no token is configured', async () => {
    handler = answer(404, { error: 'not found' });
    await client({ token: undefined }).findByInn(FIXTURE_INN.unknown);
    expect(requests[0]?.authorization).toBeUndefined();
  });

  it('returns null on 404', async () => {
    handler = answer(404, { error: 'not found' });
    await expect(client().findByInn(FIXTURE_INN.unknown)).resolves.toBeNull();
  });

  it('rejects a malformed INN without calling the registry', async () => {
    const error = await rejection(client().findByInn('12345'));
    expect(error).toBeInstanceOf(InvalidInnError);
    expect(requests).toHaveLength(0);
  });

  it.each([500, 502, 503])('treats HTTP %i as unavailable (retryable)', async (status) => {
    handler = answer(status, { error: 'down' });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.name).toBe('RegistryUnavailableError');
    expect((error as RegistryUnavailableError).status).toBe(status);
  });

  it('treats 429 as unavailable (retryable) and reports Retry-After', async () => {
    handler = answer(429, { error: 'slow down' }, { 'retry-after': '7' });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as RegistryUnavailableError).status).toBe(429);
    expect(error.message).toContain('Retry-After: 7');
  });

  it.each([401, 403])('treats HTTP %i as a token problem (non-retryable)', async (status) => {
    handler = answer(status, { error: 'denied' });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.name).toBe('RegistryResponseError');
    expect(REGISTRY_NON_RETRYABLE_ERRORS).toContain(error.name);
    expect(error.message).toMatch(/token/);
    expect(error.message).toContain('COMPANY_REGISTRY_TOKEN');
  });

  it('treats another 4xx as a non-retryable response error', async () => {
    handler = answer(400, { error: 'bad request' });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain('HTTP 400');
  });

  it('rejects a body that is not JSON', async () => {
    handler = answer(200, '<html>maintenance</html>');
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain('not JSON');
  });

  it('rejects a JSON body that is not a company card', async () => {
    handler = answer(200, { inn: FIXTURE_INN.active, name: 'Half a card' });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain('invalid company card');
  });

  it('rejects a card about another INN', async () => {
    handler = answer(200, fixture(FIXTURE_INN.smallLlc));
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain(`answered about INN ${FIXTURE_INN.smallLlc}`);
  });

  it.each<[string, Partial<CompanyCard>, string]>([
    ['an OGRN with a wrong check digit', { ogrn: '1157746123458' }, 'invalid OGRN'],
    ['an OGRNIP for a legal entity', { ogrn: '318547600123450' }, 'ogrn'],
    ['a malformed KPP', { kpp: '7704-0100' }, 'invalid KPP'],
    ['a legal entity without KPP', { kpp: null }, 'kpp'],
    ['an unknown status', { status: 'bankrupt' as CompanyCard['status'] }, 'status'],
    ['a kind the INN contradicts', { kind: 'individual_entrepreneur' }, 'kind'],
    ['a malformed registration date', { registeredOn: '12.03.2015' }, 'registeredOn'],
  ])('rejects a card with %s', async (_case, change, mention) => {
    handler = answer(200, { ...fixture(FIXTURE_INN.active), ...change });
    const error = await rejection(client().findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain(mention);
  });

  it('rejects an entrepreneur card that carries a KPP', async () => {
    const card = fixture(FIXTURE_INN.individualEntrepreneur);
    handler = answer(200, { ...card, kpp: '540601001' });
    const error = await rejection(client().findByInn(card.inn));
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect(error.message).toContain('kpp');
  });

  it('times out on a server that never answers', async () => {
    handler = () => {
      // never respond; afterAll closes the connection
    };
    const started = Date.now();
    const error = await rejection(client({ timeoutMs: 200 }).findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.message).toContain('did not answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out on a server that sends headers but never finishes the body', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"inn":');
    };
    const error = await rejection(client({ timeoutMs: 200 }).findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.message).toContain('did not answer within 200 ms');
  });

  it('treats a refused connection as unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const registry = createHttpCompanyRegistry({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
    });
    const error = await rejection(registry.findByInn(FIXTURE_INN.active));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.message).toContain('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses a base URL that is not a URL', () => {
    expect(() => createHttpCompanyRegistry({ baseUrl: 'registry.local' })).toThrow(
      'not a valid absolute URL',
    );
  });

  describe('createCompanyRegistry', () => {
    it('uses the fixtures for the offline provider', async () => {
      const registry = createCompanyRegistry({ provider: 'offline' });
      await expect(registry.findByInn(FIXTURE_INN.liquidated)).resolves.toEqual(
        fixture(FIXTURE_INN.liquidated),
      );
    });

    it('calls the configured service for the http provider', async () => {
      const card = fixture(FIXTURE_INN.regional);
      handler = answer(200, card);
      const registry = createCompanyRegistry({ provider: 'http', url: baseUrl, token: TOKEN });
      await expect(registry.findByInn(card.inn)).resolves.toEqual(card);
      expect(requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('refuses the http provider without a URL', () => {
      expect(() => createCompanyRegistry({ provider: 'http', token: TOKEN })).toThrow(
        'COMPANY_REGISTRY_URL is required',
      );
    });
  });
});
