import { z } from 'zod';
import { isYearMonth } from '../domain/settlement/dates';

/**
 * The one place that reads the environment. Everything else receives a typed Config.
 * Parsing fails fast at start-up with every problem listed.
 */
const DEV_AUTH_SECRET = 'development-only-secret-change-me-in-production-0001';

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
  })
  // Cross-field rules run even when a field failed, so one start-up lists every problem.
  .superRefine(
    (env, ctx) => {
      if (env.NODE_ENV === 'production' && (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32)) {
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_SECRET'],
          message: 'must be set to at least 32 characters in production',
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
  auth: { secret: string; issuer: string };
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
  referral: { signupUrl: string; publicBaseUrl: string };
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
    auth: { secret: e.AUTH_SECRET ?? DEV_AUTH_SECRET, issuer: e.AUTH_ISSUER },
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
    referral: {
      signupUrl: e.REFERRAL_SIGNUP_URL,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
  };
}
