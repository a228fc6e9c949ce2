/**
 * The state company registry behind an interface (SPEC: look the company up by INN: name, OGRN,
 * KPP, address, status). Production talks to the registry's HTTP service; development and tests
 * use the offline provider with fixture companies.
 *
 * Errors are split by what a retry can change, because these calls run as Temporal activities and
 * the retry policy lists non-retryable error types by `Error.name`:
 * - RegistryUnavailableError (network failure, timeout, 429, 5xx): retry.
 * - RegistryResponseError (bad token, unexpected status, malformed or inconsistent body) and
 *   InvalidInnError (the caller asked with a malformed INN): retrying gives the same answer.
 */
import { z } from 'zod';
import type { Config } from '../../config';
import { COMPANY_STATUSES, type CompanyCard } from '../../domain/company';
import { validateInn, validateKpp, validateOgrn } from '../../domain/validators';
import { COMPANY_FIXTURES } from './fixtures';

export interface CompanyRegistry {
  /** The registry's card of the company with this INN, or null when there is no such company. */
  findByInn(inn: string): Promise<CompanyCard | null>;
}

/** The registry could not be reached or is overloaded; the same request may succeed later. */
export class RegistryUnavailableError extends Error {
  constructor(
    message: string,
    /** HTTP status when the registry answered (429, 5xx); undefined for network failures. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RegistryUnavailableError';
  }
}

/** The registry answered, but not with something usable; repeating the request will not help. */
export class RegistryResponseError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RegistryResponseError';
  }
}

/** The INN asked about is malformed, so no registry can know it; a caller bug, not an outage. */
export class InvalidInnError extends Error {
  constructor(
    readonly inn: string,
    reason: string,
  ) {
    super(`Cannot look up INN "${inn}" in the company registry: it ${reason}`);
    this.name = 'InvalidInnError';
  }
}

/** For the activity retry policy's `nonRetryableErrorTypes`. */
export const REGISTRY_NON_RETRYABLE_ERRORS: readonly string[] = [
  'RegistryResponseError',
  'InvalidInnError',
];
/** For documentation and tests: the one error type worth retrying. */
export const REGISTRY_RETRYABLE_ERRORS: readonly string[] = ['RegistryUnavailableError'];

/** The INN without surrounding spaces, or InvalidInnError; both providers treat input alike. */
function normalizedInn(inn: string): string {
  const check = validateInn(inn);
  if (!check.ok) throw new InvalidInnError(inn, check.reason);
  return check.inn;
}

// ---------------------------------------------------------------------------------------------
// Offline provider

/** A registry that knows only `fixtures`. Returns copies, so callers cannot edit the fixtures. */
export function createOfflineCompanyRegistry(
  fixtures: readonly CompanyCard[] = COMPANY_FIXTURES,
): CompanyRegistry {
  const byInn = new Map<string, CompanyCard>();
  for (const card of fixtures) {
    if (byInn.has(card.inn)) throw new Error(`Duplicate company fixture for INN ${card.inn}`);
    byInn.set(card.inn, { ...card });
  }
  return {
    findByInn(inn: string): Promise<CompanyCard | null> {
      // An InvalidInnError thrown in the executor becomes a rejection, as from the HTTP client.
      return new Promise((resolve) => {
        const card = byInn.get(normalizedInn(inn));
        resolve(card ? { ...card } : null);
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP provider

/**
 * The registry's company card. Unknown extra fields are dropped (the registry may add fields);
 * identifiers are checked with the same validators the application form uses, and the INN, OGRN
 * and KPP must agree on whether this is a legal entity or an individual entrepreneur.
 */
const companyCardSchema = z
  .object({
    inn: z.string(),
    kind: z.enum(['legal_entity', 'individual_entrepreneur']),
    name: z.string().trim().min(1),
    ogrn: z.string(),
    kpp: z.string().nullable(),
    address: z.string().trim().min(1),
    status: z.enum(COMPANY_STATUSES),
    registeredOn: z.iso.date(),
  })
  .superRefine((card, ctx) => {
    const inn = validateInn(card.inn);
    if (!inn.ok) {
      ctx.addIssue({ code: 'custom', path: ['inn'], message: `invalid INN: ${inn.reason}` });
    } else if (inn.kind !== card.kind) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `does not match INN ${card.inn}` });
    }
    const ogrn = validateOgrn(card.ogrn);
    if (!ogrn.ok) {
      ctx.addIssue({ code: 'custom', path: ['ogrn'], message: `invalid OGRN: ${ogrn.reason}` });
    } else if (ogrn.kind !== card.kind) {
      ctx.addIssue({ code: 'custom', path: ['ogrn'], message: `is not an OGRN of a ${card.kind}` });
    }
    if (card.kind === 'individual_entrepreneur') {
      if (card.kpp !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['kpp'],
          message: 'must be null for an entrepreneur',
        });
      }
    } else if (card.kpp === null) {
      ctx.addIssue({ code: 'custom', path: ['kpp'], message: 'is required for a legal entity' });
    } else {
      const kpp = validateKpp(card.kpp);
      if (!kpp.ok) {
        ctx.addIssue({ code: 'custom', path: ['kpp'], message: `invalid KPP: ${kpp.reason}` });
      }
    }
  });

export interface HttpCompanyRegistryOptions {
  /** Service root, e.g. https://registry.example/api; `/v1/companies/{inn}` is appended. */
  baseUrl: string;
  /** Bearer token; omitted from the request when not configured. */
  token?: string;
  /** Whole-request budget (connect, headers and body). */
  timeoutMs?: number;
  /** Injected for tests; the global fetch otherwise. */
  fetchImpl?: typeof fetch;
}

/** Statuses that mean "try again later" (rate limited, request timeout) besides 5xx. */
const RETRYABLE_STATUSES: readonly number[] = [408, 429];

/**
 * A field of a thrown value, read without `instanceof Error`: errors raised inside fetch may come
 * from another realm (e.g. Jest's VM context), where `instanceof` is false.
 */
function errorField(error: unknown, field: 'name' | 'message' | 'cause'): unknown {
  return typeof error === 'object' && error !== null && field in error
    ? (error as Record<string, unknown>)[field]
    : undefined;
}

function unreachable(error: unknown, url: string, timeoutMs: number): RegistryUnavailableError {
  const name = errorField(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new RegistryUnavailableError(
      `Company registry did not answer within ${timeoutMs} ms (${url})`,
      undefined,
      { cause: error },
    );
  }
  // fetch reports network failures as TypeError("fetch failed") with the real reason in `cause`.
  const causeMessage = errorField(errorField(error, 'cause'), 'message');
  const message = errorField(error, 'message');
  const reason =
    typeof causeMessage === 'string'
      ? causeMessage
      : typeof message === 'string'
        ? message
        : String(error);
  return new RegistryUnavailableError(
    `Company registry is unreachable (${url}): ${reason}`,
    undefined,
    { cause: error },
  );
}

/** Client of the registry's HTTP service: GET {baseUrl}/v1/companies/{inn}. */
export function createHttpCompanyRegistry({
  baseUrl,
  token,
  timeoutMs = 5000,
  fetchImpl = fetch,
}: HttpCompanyRegistryOptions): CompanyRegistry {
  // Fail at start-up on a bad URL rather than on the first onboarding.
  if (!URL.canParse(baseUrl)) {
    throw new Error(`Company registry URL "${baseUrl}" is not a valid absolute URL`);
  }
  const root = baseUrl.replace(/\/+$/, '');

  return {
    async findByInn(innInput: string): Promise<CompanyCard | null> {
      const inn = normalizedInn(innInput);
      const url = `${root}/v1/companies/${encodeURIComponent(inn)}`;
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;

      // The timeout signal also covers reading the body, so both reads sit in one try.
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(url, {
          method: 'GET',
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw unreachable(error, url, timeoutMs);
      }

      const { status } = response;
      if (status === 404) return null;
      if (status === 401 || status === 403) {
        throw new RegistryResponseError(
          token
            ? `Company registry rejected the access token (HTTP ${status}); check COMPANY_REGISTRY_TOKEN`
            : `Company registry requires an access token (HTTP ${status}); set COMPANY_REGISTRY_TOKEN`,
          status,
        );
      }
      if (status >= 500 || RETRYABLE_STATUSES.includes(status)) {
        const retryAfter = response.headers.get('retry-after');
        throw new RegistryUnavailableError(
          `Company registry answered HTTP ${status} for INN ${inn}` +
            (retryAfter ? ` (Retry-After: ${retryAfter})` : ''),
          status,
        );
      }
      if (status !== 200) {
        throw new RegistryResponseError(
          `Company registry answered an unexpected HTTP ${status} for INN ${inn}`,
          status,
        );
      }

      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new RegistryResponseError(
          `Company registry sent a body that is not JSON for INN ${inn}`,
          status,
          { cause: error },
        );
      }
      const parsed = companyCardSchema.safeParse(body);
      if (!parsed.success) {
        throw new RegistryResponseError(
          `Company registry sent an invalid company card for INN ${inn}: ${z.prettifyError(parsed.error)}`,
          status,
        );
      }
      if (parsed.data.inn !== inn) {
        throw new RegistryResponseError(
          `Company registry answered about INN ${parsed.data.inn} when asked about INN ${inn}`,
          status,
        );
      }
      return parsed.data;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Choice by configuration

export type CompanyRegistrySettings = Config['companyRegistry'];

/** The provider `settings` select (COMPANY_REGISTRY_PROVIDER, _URL, _TOKEN). */
export function createCompanyRegistry(
  settings: CompanyRegistrySettings,
  http: Pick<HttpCompanyRegistryOptions, 'timeoutMs' | 'fetchImpl'> = {},
): CompanyRegistry {
  switch (settings.provider) {
    case 'offline':
      return createOfflineCompanyRegistry();
    case 'http':
      if (!settings.url) {
        throw new Error(
          'COMPANY_REGISTRY_URL is required when COMPANY_REGISTRY_PROVIDER=http (the company registry service root)',
        );
      }
      return createHttpCompanyRegistry({ ...http, baseUrl: settings.url, token: settings.token });
    default: {
      const unexpected: never = settings.provider;
      throw new Error(`Unknown company registry provider "${String(unexpected)}"`);
    }
  }
}
