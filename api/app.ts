import { requestContext } from './http/request-context';
import path from 'node:path';
import { projectRoot } from '../config/paths';
import swaggerUi from 'swagger-ui-express';
import type { MetricsRepository } from '../prisma/repositories/metrics.repository';
import { createMetrics } from './http/metrics';
import { temporalWorkflowUrl } from './http/temporal-links';
import { sessionRoutes, type SignInSettings } from './features/session/session.routes';
import { randomUUID } from 'node:crypto';
import { monthInMoscow } from '../domain/settlement/periods';
import {
  INTERIM_INVOICE_WORKFLOW_TYPE,
  interimInvoiceWorkflowId,
} from '../workflows/interim-invoice.contracts';
import express, { Router, type Express } from 'express';
import type { WorkflowClient } from '@temporalio/client';
import type { Logger } from '../config/logger';
import type { ApplicationRepository } from '../prisma/repositories/application.repository';
import type { BillingAccountRepository } from '../prisma/repositories/billing-account.repository';
import type { PartnerRepository } from '../prisma/repositories/partner.repository';
import { partnerRecordRoutes, partnerRoutes } from './features/partners/partners.routes';
import { notificationRoutes } from './features/notifications/notifications.routes';
import { settlementRoutes } from './features/settlement/settlement.routes';
import { lifecycleRoutes } from './features/lifecycle/lifecycle.routes';
import { documentRoutes } from './features/documents/documents.routes';
import { createDocumentService } from './features/documents/documents.service';
import type { DocumentRepository } from '../prisma/repositories/document.repository';
import { consumptionRoutes } from './features/consumption/consumption.routes';
import type { ConsumptionRepository } from '../prisma/repositories/consumption.repository';
import { createSettlementService } from './features/settlement/settlement.service';
import { createPreviewCache } from './features/settlement/preview-cache';
import type { SettlementChanges } from '../prisma/settlement-changes';
import type { SettlementRepository } from '../prisma/repositories/settlement.repository';
import type { ReferralRepository } from '../prisma/repositories/referral.repository';
import { rebateRoutes } from './features/rebates/rebates.routes';
import { referralRoutes } from './features/referrals/referrals.routes';
import { createReferralService } from './features/referrals/referrals.service';
import { createRebateService } from './features/rebates/rebates.service';
import type { RebateRepository } from '../prisma/repositories/rebate.repository';
import type { PayoutRepository } from '../prisma/repositories/payout.repository';
import { payoutRoutes } from './features/payouts/payouts.routes';
import { financeRoutes } from './features/finance/finance.routes';
import { createFinanceService } from './features/finance/finance.service';
import type { FinanceRepository } from '../prisma/repositories/finance.repository';
import { createPayoutService } from './features/payouts/payouts.service';
import { programRoutes } from './features/programs/programs.routes';
import { specializationRoutes } from './features/specializations/specializations.routes';
import { createSpecializationService } from './features/specializations/specializations.service';
import type { SpecializationRepository } from '../prisma/repositories/specialization.repository';
import { presaleRoutes } from './features/presales/presales.routes';
import { createPresaleService, type PresaleSettings } from './features/presales/presales.service';
import type { PresaleRepository } from '../prisma/repositories/presale.repository';
import { registrationRoutes } from './features/registrations/registrations.routes';
import { createRegistrationService } from './features/registrations/registrations.service';
import type { RegistrationRepository } from '../prisma/repositories/registration.repository';
import type { CompanyRegistry } from '../activities/registry/company-registry';
import { createProgramService } from './features/programs/programs.service';
import type { ProgramRepository } from '../prisma/repositories/program.repository';
import type { NotificationRepository } from '../prisma/repositories/notification.repository';
import { applicationRoutes } from './features/applications/applications.routes';
import { createApplicationService } from './features/applications/applications.service';
import { reviewQueueRoutes } from './features/review-queue/review-queue.routes';
import { createReviewQueueService } from './features/review-queue/review-queue.service';
import { healthRoutes, type HealthCheck } from './features/health/health.routes';
import type { TokenService } from './http/auth';
import { buildOpenApi } from './http/openapi';
import { notFoundHandler, problemMiddleware } from './http/problem';
import { unavailableDependency } from './http/dependencies';
import type { HttpSecurity } from '../config';
import {
  docsAccess,
  docsSecurityHeaders,
  metricsAccess,
  OPEN_HTTP_SECURITY,
  rateLimits,
  securityHeaders,
} from './http/hardening';
import { answerOtherMethods, defineRoute, mountRoutes, type AnyRoute } from './http/route';
import { codecCors, codecRoutes, type CodecEndpointDeps } from './features/codec/codec.routes';

export interface AppDeps {
  workflows: WorkflowClient;
  taskQueue: string;
  applications: ApplicationRepository;
  billingAccounts: BillingAccountRepository;
  partners: PartnerRepository;
  notifications: NotificationRepository;
  settlements: SettlementRepository;
  /** Announcements of committed changes to settlement inputs: running invoices are kept while none arrives. */
  settlementChanges?: SettlementChanges;
  /** The same for what an application's status is read from. */
  applicationChanges?: SettlementChanges;
  documents: DocumentRepository;
  rebates: RebateRepository;
  payouts: PayoutRepository;
  /** The finance console's reads: a month's invoices, statements and payouts. */
  finance: FinanceRepository;
  programs: ProgramRepository;
  specializations: SpecializationRepository;
  registrations: RegistrationRepository;
  /** The state company registry: a deal's prospective customer is looked up by INN. */
  companyRegistry: CompanyRegistry;
  consumption: ConsumptionRepository;
  referrals: ReferralRepository;
  presales: PresaleRepository;
  metrics: MetricsRepository;
  presaleSettings: PresaleSettings;
  settings: {
    referralProgramOpen: boolean;
    /** The program's first month (YYYY-MM): closes and month reports start there. */
    programFirstMonth: string;
    referralSignupUrl: string;
    /** Development identities with tokens at /v1/dev/identities (never in production). */
    developmentSignIn: boolean;
    /** The OpenID Connect issuer and client the portal signs in with (GET /v1/session/config). */
    oidc?: SignInSettings;
    publicBaseUrl: string;
    recipients: { managers: string; supervisors: string };
    /** Deal and project registrations: review SLA (business days) and deal term (months). */
    registrations: { slaBusinessDays: number; dealTermMonths: number };
    /** Specialization applications: business days a manager has to decide one. */
    specializations: { slaBusinessDays: number };
    temporalUiUrl: string;
    namespace: string;
  };
  tokens: TokenService;
  /** Security headers, rate limits, /metrics and /docs access; unset = open (development). */
  security?: HttpSecurity;
  /** The Temporal Web UI's remote codec at /codec (docs/PAYLOAD-ENCRYPTION.md); unset = none. */
  payloadCodec?: CodecEndpointDeps;
  healthChecks: HealthCheck[];
  logger: Logger;
}

export const API_VERSION = '0.1.0';

/**
 * Billing threshold: after consumption arrives, an interim-invoice check starts for each
 * postpaid partner with a threshold among the batch's accounts. The ingestion has committed
 * by then; if Temporal cannot be reached the check is logged and the month-end close bills
 * the consumption instead.
 */
async function startThresholdChecks(deps: AppDeps, accounts: string[]): Promise<void> {
  const month = monthInMoscow(new Date().toISOString());
  const partners = await deps.settlements.thresholdPartnersOf(accounts);
  await Promise.all(
    partners.map((partnerId) =>
      deps.workflows
        .start(INTERIM_INVOICE_WORKFLOW_TYPE, {
          taskQueue: deps.taskQueue,
          workflowId: interimInvoiceWorkflowId(partnerId, month),
          args: [{ partnerId, month }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        })
        .catch((error: unknown) =>
          deps.logger.error({ err: error, partnerId }, 'threshold check not started'),
        ),
    ),
  );
}

/** Where `npm run web:build` puts the portal (served at /). */
export const WEB_DIST = path.join(projectRoot, 'web', 'dist');

/**
 * The partner portal and consoles: a static single-page app that calls this same API.
 * Before it is built, / says how to build it.
 */
function webApp(): Router {
  const router = Router();
  router.use(
    express.static(WEB_DIST, {
      index: 'index.html',
      maxAge: '1h',
      // The page itself is never cached, so a new build is picked up at once; its assets
      // carry content hashes in their names.
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get('/', (_req, res) => {
    res
      .status(503)
      .type('text/plain')
      .send('The web portal is not built: run `npm run web:build` (npm start does it).');
  });
  return router;
}

/** The HTTP API: every route declared once, validated and authorized in one place. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const security = deps.security ?? OPEN_HTTP_SECURITY;
  app.use(securityHeaders(security));

  const metrics = createMetrics(deps.metrics);
  app.use(metrics.middleware);
  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    res.on('finish', () => {
      deps.logger.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    requestContext.run({ requestId }, next);
  });
  // Limits come before any body is read or token verified (docs/SECURITY.md).
  app.use(rateLimits(security));
  if (deps.payloadCodec) app.use(codecCors(deps.payloadCodec.settings));

  const workflowUrl = (workflowId: string) =>
    temporalWorkflowUrl(deps.settings.temporalUiUrl, deps.settings.namespace, workflowId);
  const applications = createApplicationService({
    workflows: deps.workflows,
    taskQueue: deps.taskQueue,
    applications: deps.applications,
    partners: deps.partners,
    ...deps.settings,
    projectionCache: deps.applicationChanges && createPreviewCache(deps.applicationChanges),
  });
  const documentService = createDocumentService({
    settlements: deps.settlements,
    partners: deps.partners,
    documents: deps.documents,
  });
  const routes: AnyRoute[] = [
    ...healthRoutes(deps.healthChecks, (dependency, error) =>
      deps.logger.warn({ err: error, dependency }, 'health check failing'),
    ),
    ...(deps.payloadCodec ? codecRoutes(deps.payloadCodec) : []),
    ...sessionRoutes({
      tokens: deps.tokens,
      developmentSignIn: deps.settings.developmentSignIn,
      oidc: deps.settings.oidc,
    }),
    ...applicationRoutes(applications),
    ...reviewQueueRoutes(
      createReviewQueueService({
        applications: deps.applications,
        registrations: deps.registrations,
        specializations: deps.specializations,
        presales: deps.presales,
        settings: {
          registrationSlaBusinessDays: deps.settings.registrations.slaBusinessDays,
          specializationSlaBusinessDays: deps.settings.specializations.slaBusinessDays,
        },
      }),
    ),
    ...partnerRoutes({
      partners: deps.partners,
      billingAccounts: deps.billingAccounts,
      workflowUrl,
    }),
    ...notificationRoutes(deps.notifications),
    ...lifecycleRoutes({
      workflows: deps.workflows,
      taskQueue: deps.taskQueue,
      partners: deps.partners,
    }),
    ...consumptionRoutes({
      consumption: deps.consumption,
      afterIngest: (accounts) => startThresholdChecks(deps, accounts),
    }),
    ...settlementRoutes(
      createSettlementService({
        workflows: deps.workflows,
        taskQueue: deps.taskQueue,
        settlements: deps.settlements,
        partners: deps.partners,
        programFirstMonth: deps.settings.programFirstMonth,
        workflowUrl,
        logger: deps.logger,
        previewCache: deps.settlementChanges && createPreviewCache(deps.settlementChanges),
      }),
    ),
    ...documentRoutes(documentService),
    ...financeRoutes(
      createFinanceService({
        finance: deps.finance,
        documents: documentService,
        programFirstMonth: deps.settings.programFirstMonth,
      }),
    ),
    ...rebateRoutes(
      createRebateService({
        rebates: deps.rebates,
        partners: deps.partners,
        billingAccounts: deps.billingAccounts,
      }),
    ),
    ...payoutRoutes(createPayoutService({ payouts: deps.payouts, partners: deps.partners })),
    // Before the program routes: /v1/partners/me/specializations is not a partner id.
    ...specializationRoutes(
      createSpecializationService({
        specializations: deps.specializations,
        partners: deps.partners,
        slaBusinessDays: deps.settings.specializations.slaBusinessDays,
      }),
    ),
    ...programRoutes(createProgramService({ programs: deps.programs, partners: deps.partners })),
    // After the settlement and program routes: /v1/partners/me/invoices and …/customers are theirs.
    ...partnerRecordRoutes({
      partners: deps.partners,
      settlements: deps.settlements,
      programs: deps.programs,
    }),
    ...presaleRoutes(
      createPresaleService({
        presales: deps.presales,
        partners: deps.partners,
        workflows: deps.workflows,
        taskQueue: deps.taskQueue,
        settings: deps.presaleSettings,
        onWorkflowError: (error, requestId) =>
          deps.logger.error({ err: error, requestId }, 'presale request workflow not told'),
      }),
    ),
    ...registrationRoutes(
      createRegistrationService({
        workflows: deps.workflows,
        taskQueue: deps.taskQueue,
        registrations: deps.registrations,
        partners: deps.partners,
        registry: deps.companyRegistry,
        settings: { ...deps.settings.registrations, recipients: deps.settings.recipients },
        onWorkflowError: (error, registrationId) =>
          deps.logger.warn(
            { err: error, registrationId },
            'registration stored; its review starts at the worker’s next sweep',
          ),
      }),
    ),
    ...referralRoutes(
      createReferralService({
        referrals: deps.referrals,
        partners: deps.partners,
        signupUrl: deps.settings.referralSignupUrl,
        publicBaseUrl: deps.settings.publicBaseUrl,
      }),
    ),
  ];

  const operationsRoutes = [
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics: HTTP latency, applications, SLA breaches, closes',
      tags: ['Operations'],
      roles: 'public',
      usesDependencies: false,
      responses: {
        200: { description: 'Prometheus text exposition format' },
        401: { description: 'METRICS_TOKEN is set and the bearer token is not it' },
        404: { description: 'Closed: METRICS_PUBLIC is false and no METRICS_TOKEN is set' },
      },
      handler: () => Promise.resolve({ status: 200 as const }),
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['Operations'],
      roles: 'public',
      usesDependencies: false,
      responses: { 200: { description: 'OpenAPI document' } },
      handler: () => Promise.resolve({ status: 200 as const }),
    }),
  ];
  const document = buildOpenApi([...routes, ...operationsRoutes], {
    title: 'Partner platform API',
    version: API_VERSION,
    description:
      'Partner onboarding, VAR month-end close and partner lifecycle. Errors are application/problem+json ' +
      '(RFC 9457) with field-level `errors`. Authenticate with a bearer token; each operation lists its roles in `x-roles`.',
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/metrics', metricsAccess(security), metrics.handler);
  answerOtherMethods(app, operationsRoutes);
  app.use(
    '/docs',
    docsAccess(security),
    docsSecurityHeaders(security),
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: 'Partner platform API' }),
  );
  app.use(webApp());

  // Each route reads its JSON body itself, after the caller is authenticated (route.ts).
  const router = Router();
  mountRoutes(router, routes, deps.tokens);
  app.use(router);
  app.use(notFoundHandler);
  app.use(
    problemMiddleware((error, problem) => {
      const dependency = unavailableDependency(error);
      if (dependency) deps.logger.warn({ err: error, dependency }, 'dependency unavailable');
      else deps.logger.error({ err: error, status: problem.status }, 'unhandled error');
    }),
  );
  return app;
}
