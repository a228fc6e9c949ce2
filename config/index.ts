import { z } from 'zod';
import { isYearMonth } from '../domain/settlement/dates';
import { DEVELOPMENT_AUTH_SECRET, weakSecretReason } from './known-secrets';
import { parseCodecKeys, type PayloadEncryptionSettings } from './payload-codec';

/**
 * The one place that reads the environment. Everything else receives a typed Config.
 * Parsing fails fast at start-up with every problem listed.
 */
const DEV_AUTH_SECRET = DEVELOPMENT_AUTH_SECRET;

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    PORT: port(3000),
    /** Existing database; when absent `npm start` runs a PostgreSQL of its own. */
    DATABASE_URL: optionalString,
    /**
     * How long the API waits for a database connection, and for one statement, before it
     * answers 503: a stopped database is reported at once instead of hanging requests.
     */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    POSTGRES_PORT: port(54329),
    POSTGRES_DB: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default('partner_platform'),
    /** Existing Temporal frontend (host:port); when absent `npm start` runs the dev server. */
    TEMPORAL_ADDRESS: optionalString,
    TEMPORAL_PORT: port(7233),
    TEMPORAL_UI_PORT: port(8233),
    TEMPORAL_UI_URL: optionalString,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('partner-platform'),
    /**
     * Attempts of one API call to Temporal while it is unreachable (100 ms, then 170 ms
     * apart) before the API answers 503. The SDK's default, 10, takes about 20 s.
     */
    TEMPORAL_CLIENT_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    /**
     * The API's bound on one call to a Temporal that accepts connections but does not answer
     * (an update waits for its handler, so it is not very short); then 503.
     */
    TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8_000),
    /** The worker creates the month-close schedule at start unless this is false. */
    WORKER_SCHEDULES: z.enum(['true', 'false']).default('true'),
    /** A workflow bundle built by `npm run workflows:build`; unset = bundle at worker start. */
    WORKFLOW_BUNDLE_PATH: optionalString,
    /**
     * Seconds between the worker's sweeps that start the review of a registration (or the
     * workflow of a presale request) stored while Temporal was unreachable.
     */
    WORKER_SWEEP_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),

    // --- Worker health (docs/DEPLOYMENT.md) ---
    /**
     * Port of the worker's health endpoint: GET /healthz answers 200 while the Temporal worker
     * is running, 503 otherwise; GET /metrics has its task slots. Unset = no endpoint.
     */
    WORKER_HEALTH_PORT: optionalString.pipe(
      z.coerce.number<string | undefined>().int().min(1).max(65535).optional(),
    ),

    TEMPORAL_API_KEY: optionalString,
    TEMPORAL_TLS: z.enum(['true', 'false']).default('false'),
    TEMPORAL_TLS_CERT_PATH: optionalString,
    TEMPORAL_TLS_KEY_PATH: optionalString,
    AUTH_SECRET: optionalString,
    /** `offline` uses fixture companies (development, tests); `http` calls the real registry. */
    COMPANY_REGISTRY_PROVIDER: z.enum(['offline', 'http']).default('offline'),
    COMPANY_REGISTRY_URL: optionalString.pipe(z.url().optional()),
    COMPANY_REGISTRY_TOKEN: optionalString,
    /** Where notifications are posted (signed with HMAC-SHA256); unset = stored only. */
    NOTIFICATION_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
    NOTIFICATION_WEBHOOK_SECRET: optionalString,
    /** Addresses of the partner-manager team and of the supervisors who get escalations. */
    MANAGER_NOTIFICATION_RECIPIENT: z.string().min(1).default('partner-managers'),
    SUPERVISOR_NOTIFICATION_RECIPIENT: z.string().min(1).default('partner-supervisors'),
    /** Business days managers have to review a deal or project registration. */
    REGISTRATION_SLA_BUSINESS_DAYS: z.coerce.number().int().min(1).max(30).default(3),
    /** Months an approved deal links its customer before it expires. */
    DEAL_TERM_MONTHS: z.coerce.number().int().min(1).max(60).default(12),
    /** Business days managers have to decide a specialization application. */
    SPECIALIZATION_SLA_BUSINESS_DAYS: z.coerce.number().int().min(1).max(30).default(5),
    /** Business days presale staff have for the first answer to a presale request. */
    PRESALE_SLA_BUSINESS_DAYS: z.coerce.number().int().min(1).max(30).default(1),
    /** Addresses of the presale staff (new requests) and of the presale leads (escalations). */
    PRESALE_STAFF_RECIPIENT: z.string().min(1).default('presale-staff'),
    PRESALE_LEADS_RECIPIENT: z.string().min(1).default('presale-leads'),
    /** The referral program takes new applications (SPEC §3: it can be closed). */
    REFERRAL_PROGRAM_OPEN: z.enum(['true', 'false']).default('true'),
    /**
     * The program's first month: closes and month reports start there (SPEC §2). The seeded
     * program terms (bonus, VAT and commission rates) are effective from 2019-01-01.
     */
    PROGRAM_FIRST_MONTH: z
      .string()
      .trim()
      .refine((value) => isYearMonth(value) && value >= '0001-01', 'must be a month YYYY-MM')
      .default('2019-01'),
    /** The provider's sign-up page a referral link leads to (with ?referral=<code>). */
    REFERRAL_SIGNUP_URL: z.url().default('https://console.cloud.example/signup'),
    /** Where the API is reachable from outside; referral links are built on it. */
    PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
    AUTH_ISSUER: z.string().default('partner-platform'),

    // --- Hardened HTTP defaults (docs/SECURITY.md) ---
    /** Requests per window one bearer token may make; unset = 600 in production, unbounded-ish elsewhere. */
    RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).optional(),
    /** Requests per window from one client address (health checks exempt). */
    RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).optional(),
    /** Requests per window from one client address answered 401 (guessed or forged tokens). */
    RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).optional(),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** Bearer token Prometheus sends to scrape /metrics. */
    METRICS_TOKEN: optionalString,
    /** /metrics without a token; unset = public except in production. */
    METRICS_PUBLIC: z.enum(['true', 'false']).optional(),
    /** Swagger UI at /docs; unset = public except in production. /openapi.json stays public. */
    DOCS_PUBLIC: z.enum(['true', 'false']).optional(),
    /** Extra origins the portal may call from the browser (CSP connect-src), space-separated. */
    CSP_CONNECT_SOURCES: optionalString,

    // --- OpenID Connect sign-in (docs/SIGN-IN.md) ---
    /** The identity provider whose RS256 access tokens the API accepts; development: the dev IdP. */
    OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    /** The audience (`aud`) the API requires in an access token. */
    OIDC_AUDIENCE: z.string().trim().min(1).default('urn:partner-platform:api'),
    /** The portal's public client at the identity provider, and the scope it asks for. */
    OIDC_CLIENT_ID: z.string().trim().min(1).default('partner-portal'),
    OIDC_SCOPE: z.string().trim().min(1).default('openid profile api'),
    /** Where the issuer publishes its keys; unset = its discovery document says. */
    OIDC_JWKS_URL: optionalString.pipe(z.url().optional()),
    /** Claims that carry the role, the partner's organization and the person's name. */
    OIDC_ROLE_CLAIM: z.string().trim().min(1).default('role'),
    OIDC_ORGANIZATION_CLAIM: z.string().trim().min(1).default('org'),
    OIDC_NAME_CLAIM: z.string().trim().min(1).default('name'),
    /** How long the API waits for the issuer's keys before answering 503. */
    OIDC_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
    /**
     * Whether HS256 tokens signed with AUTH_SECRET (`npm run token`) are accepted; unset = yes,
     * except in production with OIDC_ISSUER set.
     */
    AUTH_SHARED_SECRET_TOKENS: z.enum(['true', 'false']).optional(),
    /** The development identity provider `npm start` runs (never in production). */
    DEV_IDP_PORT: port(3100),

    // --- Traces (docs/OBSERVABILITY.md) ---
    /** OTLP/HTTP collector, e.g. http://localhost:4318; unset = no spans leave the process. */
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /** Headers for the collector, `name=value` pairs separated by commas (e.g. an API key). */
    OTEL_EXPORTER_OTLP_HEADERS: optionalString,
    /** Share of new traces recorded, 0..1 (a trace started upstream keeps its caller's choice). */
    TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),

    // --- Payload encryption in Temporal (docs/PAYLOAD-ENCRYPTION.md) ---
    /**
     * AES-256 keys for workflow and activity payloads, `id:base64key` separated by commas
     * (`openssl rand -base64 32`); keep retired keys listed so older histories still decode.
     * Required in production; `npm start` makes one per clone under .local; unset elsewhere =
     * payloads stay plain (the test suite).
     */
    TEMPORAL_CODEC_KEYS: optionalString,
    /** The key new payloads are encrypted with; unset = the only key listed. */
    TEMPORAL_CODEC_KEY_ID: optionalString,
    /** Origins of the Temporal Web UI allowed to call /codec (CORS); unset = TEMPORAL_UI_URL's. */
    TEMPORAL_CODEC_CORS_ORIGINS: optionalString,
    /** Roles whose bearer token may decode payloads at /codec, separated by commas. */
    TEMPORAL_CODEC_ROLES: z.string().trim().min(1).default('manager,finance'),
    /**
     * /codec without a token for callers on this machine (the local Web UI cannot send one);
     * unset = yes in development only. Refused in production.
     */
    TEMPORAL_CODEC_LOCAL_ANONYMOUS: z.enum(['true', 'false']).optional(),
  })
  // Cross-field rules run even when a field failed, so one start-up lists every problem.
  .superRefine(
    (env, ctx) => {
      if (env.NODE_ENV === 'production') {
        // Production refuses secrets anyone can read in the repository, and weak ones.
        if (!env.AUTH_SECRET) {
          ctx.addIssue({
            code: 'custom',
            path: ['AUTH_SECRET'],
            message: 'must be set in production (generate one with `openssl rand -base64 48`)',
          });
        }
        for (const name of [
          'AUTH_SECRET',
          'NOTIFICATION_WEBHOOK_SECRET',
          'METRICS_TOKEN',
        ] as const) {
          const value = env[name];
          const reason = value === undefined ? undefined : weakSecretReason(value);
          if (reason)
            ctx.addIssue({ code: 'custom', path: [name], message: `${reason} (production)` });
        }
      }
      if (
        env.NODE_ENV === 'production' &&
        env.OIDC_ISSUER &&
        !env.OIDC_ISSUER.startsWith('https://')
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ISSUER'],
          message: 'must be an https:// URL in production',
        });
      }
      if (env.COMPANY_REGISTRY_PROVIDER === 'http' && !env.COMPANY_REGISTRY_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['COMPANY_REGISTRY_URL'],
          message: 'is required when COMPANY_REGISTRY_PROVIDER=http',
        });
      }
      if (env.NOTIFICATION_WEBHOOK_URL && !env.NOTIFICATION_WEBHOOK_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFICATION_WEBHOOK_SECRET'],
          message: 'is required with NOTIFICATION_WEBHOOK_URL (deliveries are signed)',
        });
      }
      if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
        ctx.addIssue({
          code: 'custom',
          path: ['TEMPORAL_TLS_CERT_PATH'],
          message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
        });
      }
      payloadEncryptionIssues(env, (path, message) =>
        ctx.addIssue({ code: 'custom', path: [path], message }),
      );
    },
    { when: () => true },
  );

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  databaseUrl?: string;
  /** The API's bounds on the database: connection and statement timeouts, in ms. */
  database: { connectTimeoutMs: number; statementTimeoutMs: number };
  postgres: { port: number; database: string };
  temporal: {
    address?: string;
    devServerPort: number;
    uiPort: number;
    uiUrl: string;
    namespace: string;
    taskQueue: string;
    /** Attempts of one API call to an unreachable Temporal before answering 503. */
    clientAttempts: number;
    /** The API: milliseconds any one call to Temporal may take (unless it sets its own). */
    callTimeoutMs: number;
    /** Whether the worker registers the schedules at start. */
    schedules: boolean;
    /** Seconds between sweeps for workflows the API could not start (0 = never). */
    sweepSeconds: number;
    apiKey?: string;
    tls: boolean;
    tlsCertPath?: string;
    tlsKeyPath?: string;
  };
  auth: {
    secret: string;
    issuer: string;
    /** Whether HS256 tokens signed with the secret (`npm run token`) are accepted. */
    acceptSharedSecretTokens: boolean;
  };
  companyRegistry: { provider: 'offline' | 'http'; url?: string; token?: string };
  notifications: {
    webhookUrl?: string;
    webhookSecret?: string;
    managerRecipient: string;
    supervisorRecipient: string;
  };
  /** Deal and project registrations: the review SLA and the deal term. */
  registrations: { slaBusinessDays: number; dealTermMonths: number };
  /** Specialization applications: business days managers have to decide one. */
  specializations: { slaBusinessDays: number };
  /** Presale requests: the first-answer SLA and who is told about them. */
  presale: { slaBusinessDays: number; staffRecipient: string; leadsRecipient: string };
  referralProgramOpen: boolean;
  /** The program's first month, YYYY-MM: no month before it is closed or reported on. */
  programFirstMonth: string;
  /** The worker's pre-built workflow bundle, if any. */
  workflowBundlePath?: string;
  /** Port of the worker's health endpoint (worker/health.ts); none when unset. */
  workerHealthPort?: number;
  referral: { signupUrl: string; publicBaseUrl: string };
  /** Hardened HTTP defaults: headers, rate limits, who may read /metrics and /docs. */
  http: HttpSecurity;
  /** OpenID Connect sign-in: the identity provider the API trusts and the portal uses. */
  oidc?: OidcSettings;
  /** The development identity provider `npm start` runs (development only). */
  devIdp: { port: number };
  /** Traces: where spans are sent by OTLP/HTTP (none when the endpoint is unset). */
  tracing: TracingConfig;
  /** Encryption of Temporal payloads (none when no keys are set), and the Web UI's /codec. */
  payloadEncryption?: PayloadEncryptionSettings;
  codecEndpoint: CodecEndpointSettings;
}

export interface CodecEndpointSettings {
  /** Origins (the Temporal Web UI) whose browser calls to /codec are allowed. */
  corsOrigins: string[];
  /** Roles whose token may decode or encode payloads. */
  roles: string[];
  /** Callers on the loopback interface need no token (development). */
  localAnonymous: boolean;
}

export interface TracingConfig {
  /** Collector base URL; spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string;
  otlpHeaders: Record<string, string>;
  sampleRatio: number;
  environment: 'development' | 'test' | 'production';
}

export interface OidcSettings {
  issuer: string;
  audience: string;
  clientId: string;
  scope: string;
  jwksUrl?: string;
  jwksTimeoutMs: number;
  claims: { role: string; organization: string; name: string };
}

export interface HttpSecurity {
  /** Strict-Transport-Security and upgrade-insecure-requests (production only). */
  hsts: boolean;
  /** Extra origins for the portal's CSP connect-src (e.g. the identity provider). */
  connectSources: string[];
  rateLimit: {
    windowSeconds: number;
    perToken: number;
    perAddress: number;
    authFailuresPerAddress: number;
  };
  metrics: { public: boolean; token?: string };
  docsPublic: boolean;
}

export class ConfigError extends Error {}

/**
 * Reads a `.env` file from the working directory into process.env if there is one (values
 * already set win). Entry points call it before loadConfig; tests never do.
 */
export function loadEnvFile(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    database: {
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    postgres: { port: e.POSTGRES_PORT, database: e.POSTGRES_DB },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      devServerPort: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      clientAttempts: e.TEMPORAL_CLIENT_ATTEMPTS,
      callTimeoutMs: e.TEMPORAL_CALL_TIMEOUT_MS,
      schedules: e.WORKER_SCHEDULES === 'true',
      sweepSeconds: e.WORKER_SWEEP_SECONDS,
      apiKey: e.TEMPORAL_API_KEY,
      tls:
        e.TEMPORAL_TLS === 'true' ||
        Boolean(e.TEMPORAL_API_KEY) ||
        Boolean(e.TEMPORAL_TLS_CERT_PATH),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
    },
    auth: {
      secret: e.AUTH_SECRET ?? DEV_AUTH_SECRET,
      issuer: e.AUTH_ISSUER,
      acceptSharedSecretTokens:
        (e.AUTH_SHARED_SECRET_TOKENS ??
          (e.NODE_ENV === 'production' && oidcIssuer(e) ? 'false' : 'true')) === 'true',
    },
    companyRegistry: {
      provider: e.COMPANY_REGISTRY_PROVIDER,
      url: e.COMPANY_REGISTRY_URL,
      token: e.COMPANY_REGISTRY_TOKEN,
    },
    notifications: {
      webhookUrl: e.NOTIFICATION_WEBHOOK_URL,
      webhookSecret: e.NOTIFICATION_WEBHOOK_SECRET,
      managerRecipient: e.MANAGER_NOTIFICATION_RECIPIENT,
      supervisorRecipient: e.SUPERVISOR_NOTIFICATION_RECIPIENT,
    },
    registrations: {
      slaBusinessDays: e.REGISTRATION_SLA_BUSINESS_DAYS,
      dealTermMonths: e.DEAL_TERM_MONTHS,
    },
    specializations: { slaBusinessDays: e.SPECIALIZATION_SLA_BUSINESS_DAYS },
    presale: {
      slaBusinessDays: e.PRESALE_SLA_BUSINESS_DAYS,
      staffRecipient: e.PRESALE_STAFF_RECIPIENT,
      leadsRecipient: e.PRESALE_LEADS_RECIPIENT,
    },
    referralProgramOpen: e.REFERRAL_PROGRAM_OPEN === 'true',
    programFirstMonth: e.PROGRAM_FIRST_MONTH,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    workerHealthPort: e.WORKER_HEALTH_PORT,
    referral: {
      signupUrl: e.REFERRAL_SIGNUP_URL,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
    http: httpSecurity(e),
    oidc: oidcSettings(e),
    devIdp: { port: e.DEV_IDP_PORT },
    tracing: {
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''),
      otlpHeaders: parseHeaderList(e.OTEL_EXPORTER_OTLP_HEADERS),
      sampleRatio: e.TRACE_SAMPLE_RATIO,
      environment: e.NODE_ENV,
    },
    payloadEncryption: payloadEncryption(e),
    codecEndpoint: {
      corsOrigins: codecCorsOrigins(e),
      roles: e.TEMPORAL_CODEC_ROLES.split(',')
        .map((role) => role.trim())
        .filter(Boolean),
      localAnonymous:
        (e.TEMPORAL_CODEC_LOCAL_ANONYMOUS ?? (e.NODE_ENV === 'development' ? 'true' : 'false')) ===
        'true',
    },
  };
}

/** The trusted issuer: OIDC_ISSUER, or in development the dev identity provider. */
function oidcIssuer(e: z.output<typeof schema>): string | undefined {
  const issuer =
    e.OIDC_ISSUER ??
    (e.NODE_ENV === 'development' ? `http://localhost:${e.DEV_IDP_PORT}` : undefined);
  return issuer?.replace(/\/+$/, '');
}

function oidcSettings(e: z.output<typeof schema>): OidcSettings | undefined {
  const issuer = oidcIssuer(e);
  if (!issuer) return undefined;
  return {
    issuer,
    audience: e.OIDC_AUDIENCE,
    clientId: e.OIDC_CLIENT_ID,
    scope: e.OIDC_SCOPE,
    jwksUrl: e.OIDC_JWKS_URL,
    jwksTimeoutMs: e.OIDC_JWKS_TIMEOUT_MS,
    claims: {
      role: e.OIDC_ROLE_CLAIM,
      organization: e.OIDC_ORGANIZATION_CLAIM,
      name: e.OIDC_NAME_CLAIM,
    },
  };
}

/**
 * Production defaults are strict; development and tests (and `npm run bench`) get limits no
 * test or benchmark reaches, and open /metrics and /docs.
 */
function httpSecurity(e: z.output<typeof schema>): HttpSecurity {
  const production = e.NODE_ENV === 'production';
  const unbounded = 1_000_000;
  return {
    hsts: production,
    connectSources: [
      ...(e.CSP_CONNECT_SOURCES?.split(/\s+/).filter(Boolean) ?? []),
      // The portal calls the identity provider's discovery and token endpoints.
      ...[oidcIssuer(e)].filter(Boolean).map((issuer) => new URL(issuer as string).origin),
    ],
    rateLimit: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      perToken: e.RATE_LIMIT_PER_TOKEN ?? (production ? 600 : unbounded),
      perAddress: e.RATE_LIMIT_PER_ADDRESS ?? (production ? 1200 : unbounded),
      authFailuresPerAddress:
        e.RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS ?? (production ? 100 : unbounded),
    },
    metrics: {
      public: (e.METRICS_PUBLIC ?? (production ? 'false' : 'true')) === 'true',
      token: e.METRICS_TOKEN,
    },
    docsPublic: (e.DOCS_PUBLIC ?? (production ? 'false' : 'true')) === 'true',
  };
}

/** `a=1,b=2` (the OpenTelemetry header-list format) as an object; values may be URL-encoded. */
function parseHeaderList(list: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of list?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/**
 * Payload encryption's rules: keys well formed, the encrypting one among them; production
 * refuses to start without keys, with keys published in the repository or weaker than 256
 * bits, and with an anonymous /codec.
 */
function payloadEncryptionIssues(
  env: Partial<z.output<typeof schema>>,
  issue: (path: string, message: string) => void,
): void {
  const production = env.NODE_ENV === 'production';
  if (!env.TEMPORAL_CODEC_KEYS) {
    if (production) {
      issue(
        'TEMPORAL_CODEC_KEYS',
        'must be set in production: workflow histories carry bank details and contacts (`openssl rand -base64 32`, docs/PAYLOAD-ENCRYPTION.md)',
      );
    }
    if (env.TEMPORAL_CODEC_KEY_ID) issue('TEMPORAL_CODEC_KEY_ID', 'needs TEMPORAL_CODEC_KEYS');
    return;
  }
  const { keys, problems } = parseCodecKeys(env.TEMPORAL_CODEC_KEYS);
  for (const problem of problems) issue('TEMPORAL_CODEC_KEYS', problem);
  if (keys.length === 0 && problems.length === 0) issue('TEMPORAL_CODEC_KEYS', 'lists no key');
  if (production) {
    for (const { id, key } of keys) {
      const reason = weakSecretReason(key.toString('base64'));
      if (reason) issue('TEMPORAL_CODEC_KEYS', `key "${id}" ${reason} (production)`);
    }
    if (env.TEMPORAL_CODEC_LOCAL_ANONYMOUS === 'true') {
      issue('TEMPORAL_CODEC_LOCAL_ANONYMOUS', 'must not be true in production');
    }
  }
  const chosen = env.TEMPORAL_CODEC_KEY_ID;
  if (chosen && keys.length > 0 && !keys.some((key) => key.id === chosen)) {
    issue('TEMPORAL_CODEC_KEY_ID', `"${chosen}" is not among TEMPORAL_CODEC_KEYS`);
  }
  if (!chosen && keys.length > 1) {
    issue('TEMPORAL_CODEC_KEY_ID', 'must name the encrypting key when several keys are listed');
  }
}

function payloadEncryption(e: z.output<typeof schema>): PayloadEncryptionSettings | undefined {
  if (!e.TEMPORAL_CODEC_KEYS) return undefined;
  const { keys } = parseCodecKeys(e.TEMPORAL_CODEC_KEYS);
  return { keys, encryptingKeyId: e.TEMPORAL_CODEC_KEY_ID ?? (keys[0]?.id as string) };
}

/** The Web UI's origins; a UI on this machine is reached as localhost and as 127.0.0.1. */
function codecCorsOrigins(e: z.output<typeof schema>): string[] {
  if (e.TEMPORAL_CODEC_CORS_ORIGINS)
    return e.TEMPORAL_CODEC_CORS_ORIGINS.split(/[\s,]+/).filter(Boolean);
  const ui = new URL(e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`);
  const origins = [ui.origin];
  if (ui.hostname === 'localhost' || ui.hostname === '127.0.0.1') {
    for (const host of ['localhost', '127.0.0.1']) {
      origins.push(`${ui.protocol}//${host}${ui.port ? `:${ui.port}` : ''}`);
    }
  }
  return [...new Set(origins)];
}
