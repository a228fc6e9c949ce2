import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { OpenTelemetryWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '../config/tracing';

type InterceptorsModule = typeof import('@temporalio/interceptors-opentelemetry');

/**
 * The SDK's OpenTelemetry interceptors, loaded only when this process exports traces: with
 * tracing off the worker does not spend their memory.
 */
function interceptorsModule(): InterceptorsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@temporalio/interceptors-opentelemetry') as InterceptorsModule;
}

/**
 * The worker's half of the SDK's OpenTelemetry interceptors (its OpenTelemetryPlugin wires the
 * same pieces, but adds the workflow module only when the worker bundles at start; ours is in
 * every bundle, pre-built or not — worker/bundle.ts). With tracing on, each activity runs in a
 * RunActivity span, child of the workflow's StartActivity span, so its PostgreSQL queries join
 * the trace; with tracing off there is nothing to intercept.
 */
export function tracingActivityInterceptors(): ActivityInterceptorsFactory[] {
  if (!activeTracing().exporting) return [];
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } =
    interceptorsModule();
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/**
 * The sink through which the workflow sandbox hands its finished spans to this process's span
 * processor. It is registered even with tracing off, because the bundled workflow interceptors
 * always call it: then it drops the spans.
 */
export function workflowSpanSinks(): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  const tracing = activeTracing();
  if (!tracing.exporting) return { exporter: { export: { fn: () => undefined } } };
  return {
    exporter: interceptorsModule().makeWorkflowExporter(tracing.spanProcessor, tracing.resource),
  };
}
