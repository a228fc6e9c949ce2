import { createPresaleRepository } from '../prisma/repositories/presale.repository';
import { requestIdClientInterceptor } from './http/request-context';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Server } from 'node:http';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';
import type { Config } from '../config';
import { createLogger } from '../config/logger';
import { temporalConnectionOptions } from '../config/temporal';
import { temporalDataConverter } from '../config/payload-codec';
import { createDatabase } from '../prisma/client';
import {
  listenForApplicationChanges,
  listenForSettlementChanges,
} from '../prisma/settlement-changes';
import { createApplicationRepository } from '../prisma/repositories/application.repository';
import { createBillingAccountRepository } from '../prisma/repositories/billing-account.repository';
import { createPartnerRepository } from '../prisma/repositories/partner.repository';
import { createNotificationRepository } from '../prisma/repositories/notification.repository';
import { createSettlementRepository } from '../prisma/repositories/settlement.repository';
import { createDocumentRepository } from '../prisma/repositories/document.repository';
import { createRebateRepository } from '../prisma/repositories/rebate.repository';
import { createPayoutRepository } from '../prisma/repositories/payout.repository';
import { createFinanceRepository } from '../prisma/repositories/finance.repository';
import { createProgramRepository } from '../prisma/repositories/program.repository';
import { createSpecializationRepository } from '../prisma/repositories/specialization.repository';
import { createMetricsRepository } from '../prisma/repositories/metrics.repository';
import { createReferralRepository } from '../prisma/repositories/referral.repository';
import { createConsumptionRepository } from '../prisma/repositories/consumption.repository';
import { createRegistrationRepository } from '../prisma/repositories/registration.repository';
import { createCompanyRegistry } from '../activities/registry/company-registry';
import { createApp } from './app';
import { createTokenService } from './http/auth';
import { createOidcVerifier } from './http/oidc';

export interface RunningApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Connects to the database and Temporal and serves the API until closed. */
export async function startApi(
  config: Config,
  options: { port?: number } = {},
): Promise<RunningApi> {
  const logger = createLogger(config, 'api');
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  const db = createDatabase(config.databaseUrl, {
    onError: (error) => logger.warn({ err: error }, 'PostgreSQL connection lost; reconnecting'),
    connectTimeoutMs: config.database.connectTimeoutMs,
    statementTimeoutMs: config.database.statementTimeoutMs,
  });
  // Lazy: the API starts, and serves what the database alone can answer, while Temporal is
  // down. A call to an unreachable Temporal is tried a few times (half a second), then the
  // request answers 503, instead of the SDK's default ten attempts (about 20 s).
  // A Temporal that accepts connections but never answers is bounded too: every call without
  // a deadline of its own gets TEMPORAL_CALL_TIMEOUT_MS, then the request answers 503.
  const connection = Connection.lazy({
    ...temporalConnectionOptions(config, config.temporal.address),
    interceptors: [
      defaultDeadline(config.temporal.callTimeoutMs),
      makeGrpcRetryInterceptor(
        defaultGrpcRetryOptions({ maxAttempts: config.temporal.clientAttempts }),
      ),
    ],
  });
  // Personal data leaves for Temporal encrypted (docs/PAYLOAD-ENCRYPTION.md).
  const dataConverter = temporalDataConverter(config.payloadEncryption);
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter,
    // The request id, and the trace context (a StartWorkflow/SignalWorkflow… span per call).
    interceptors: {
      workflow: [requestIdClientInterceptor, new OpenTelemetryWorkflowClientInterceptor()],
    },
  });
  const settlementChanges = listenForSettlementChanges(config.databaseUrl, {
    onError: (error) =>
      logger.warn(
        { err: error },
        'Listening for settlement changes failed; running invoices uncached until it resumes',
      ),
  });
  const applicationChanges = listenForApplicationChanges(config.databaseUrl, {
    onError: (error) =>
      logger.warn(
        { err: error },
        'Listening for application changes failed; statuses uncached until it resumes',
      ),
  });
  const app = createApp({
    settlementChanges,
    applicationChanges,
    workflows: client.workflow,
    taskQueue: config.temporal.taskQueue,
    applications: createApplicationRepository(db),
    billingAccounts: createBillingAccountRepository(db),
    partners: createPartnerRepository(db),
    notifications: createNotificationRepository(db),
    settlements: createSettlementRepository(db, { programFirstMonth: config.programFirstMonth }),
    documents: createDocumentRepository(db),
    rebates: createRebateRepository(db),
    payouts: createPayoutRepository(db),
    finance: createFinanceRepository(db),
    programs: createProgramRepository(db),
    specializations: createSpecializationRepository(db),
    registrations: createRegistrationRepository(db),
    companyRegistry: createCompanyRegistry(config.companyRegistry),
    consumption: createConsumptionRepository(db),
    referrals: createReferralRepository(db),
    presales: createPresaleRepository(db),
    presaleSettings: config.presale,
    metrics: createMetricsRepository(db),
    settings: {
      referralProgramOpen: config.referralProgramOpen,
      programFirstMonth: config.programFirstMonth,
      referralSignupUrl: config.referral.signupUrl,
      developmentSignIn: config.env !== 'production',
      oidc: config.oidc,
      publicBaseUrl: config.referral.publicBaseUrl,
      recipients: {
        managers: config.notifications.managerRecipient,
        supervisors: config.notifications.supervisorRecipient,
      },
      registrations: config.registrations,
      specializations: config.specializations,
      temporalUiUrl: config.temporal.uiUrl,
      namespace: config.temporal.namespace,
    },
    tokens: createTokenService({
      ...config.auth,
      verifyAccessToken: config.oidc ? createOidcVerifier(config.oidc) : undefined,
    }),
    security: config.http,
    payloadCodec: {
      codec: dataConverter?.payloadCodecs?.[0],
      namespace: config.temporal.namespace,
      settings: config.codecEndpoint,
    },
    logger,
    healthChecks: [
      { name: 'database', check: async () => void (await db.$queryRaw`SELECT 1`) },
      {
        name: 'temporal',
        check: async () => void (await connection.workflowService.getSystemInfo({})),
      },
    ],
  });
  const port = options.port ?? config.port;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '0.0.0.0', () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  logger.info({ port: actualPort }, 'API listening');
  return {
    url: `http://localhost:${actualPort}`,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
      await settlementChanges.close();
      await applicationChanges.close();
      await db.$disconnect();
    },
  };
}

type GrpcInterceptor = NonNullable<
  NonNullable<Parameters<typeof Connection.lazy>[0]>['interceptors']
>[number];

/**
 * Gives every gRPC call that has no deadline of its own one `ms` from its start. It only changes
 * the call's options, so the next call is returned as it is (grpc-js chains the interfaces; its
 * type asks for the class).
 */
function defaultDeadline(ms: number): GrpcInterceptor {
  return (options, nextCall) =>
    nextCall({
      ...options,
      deadline: options.deadline ?? Date.now() + ms,
    }) as ReturnType<GrpcInterceptor>;
}
