import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TracingConfig } from './index';

/** The names the two processes' spans carry (the `service.name` resource attribute). */
export type TracedService = 'partner-api' | 'partner-worker';

export type Tracing =
  | { exporting: false; shutdown(): Promise<void> }
  | {
      /** True when spans are recorded and sent to an OTLP collector. */
      exporting: true;
      /** Who the spans come from; the worker hands it to the workflow span exporter. */
      resource: Resource;
      /** Where finished spans go; the workflow spans (made inside the sandbox) join them. */
      spanProcessor: SpanProcessor;
      /** Sends the spans still queued; called once when the process stops. */
      shutdown(): Promise<void>;
    };

/** Paths whose requests are not traced: probes and scrapes every few seconds. */
const UNTRACED_PATHS = /^\/(healthz|readyz|livez|metrics)(\/|\?|$)/;

const OFF: Tracing = { exporting: false, shutdown: () => Promise.resolve() };

let current: Tracing = OFF;

/**
 * Starts OpenTelemetry for this process when an OTLP endpoint is configured: HTTP spans (named
 * by the Express route they matched: the Express instrumentation of this OpenTelemetry release
 * knows Express 4 only) and PostgreSQL (pg) spans, W3C trace-context propagation, and a batching OTLP/HTTP exporter.
 * It must run before `http`, `express` and `pg` are first loaded (api/instrument.ts and
 * worker/instrument.ts are the entry points' first imports). Without an endpoint nothing is
 * started: no exporter, no network attempts, and the Temporal interceptors see a no-op tracer.
 */
export function startTracing(config: TracingConfig, service: TracedService): Tracing {
  if (current !== OFF || !config.otlpEndpoint) return current;
  // Loaded only when tracing is on: the SDK and its instrumentations take about 25 MiB of a
  // process's memory, which a worker without tracing does not spend. Synchronous on purpose:
  // the patches must be in place before the entry point goes on to load `http` and `pg`.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { Resource } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME } =
    require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const resource = new Resource({
    [ATTR_SERVICE_NAME]: service,
    'deployment.environment': config.environment,
  });
  const spanProcessor = new BatchSpanProcessor(
    new OTLPTraceExporter({
      url: `${config.otlpEndpoint}/v1/traces`,
      headers: config.otlpHeaders,
    }),
  );
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [spanProcessor],
    // Logs stay in pino on stdout; without this the SDK would set up an OTLP log exporter.
    logRecordProcessors: [],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) =>
          UNTRACED_PATHS.test(request.url ?? ''),
        applyCustomAttributesOnSpan: (span, request) => {
          if ('url' in request && request.url?.includes('?')) {
            // Query strings can hold what a user searched for: keep only the path.
            const target = request.url.slice(0, request.url.indexOf('?'));
            span.setAttribute('http.target', target);
            span.setAttribute('http.url', `//${request.headers.host ?? ''}${target}`);
          }
          const route = expressRoute(request);
          if (!route) return;
          span.setAttribute(ATTR_HTTP_ROUTE, route);
          span.updateName(`${request.method ?? 'GET'} ${route}`);
        },
      }),
      // Statement text only (Prisma binds values as parameters, which are not recorded); no
      // spans for the background LISTEN connections and pool upkeep outside any request.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  current = { exporting: true, resource, spanProcessor, shutdown: () => sdk.shutdown() };
  return current;
}

/**
 * The route Express matched for a request it served (the path pattern, so span names stay few:
 * `/v1/applications/:applicationId`, never an id), or undefined (no route, or an outgoing call).
 */
function expressRoute(request: ClientRequest | IncomingMessage): string | undefined {
  const { route, baseUrl } = request as { route?: { path?: unknown }; baseUrl?: unknown };
  if (typeof route?.path !== 'string') return undefined;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${route.path}`;
}

/** This process's tracing: what startTracing started, or the no-op one. */
export function activeTracing(): Tracing {
  return current;
}
