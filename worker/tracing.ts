import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { OpenTelemetryWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '../config/tracing';

/**
 * The worker's half of the SDK's OpenTelemetry interceptors (its OpenTelemetryPlugin wires the
 * same pieces, but adds the workflow module only when the worker bundles at start; ours is in
 * every bundle, pre-built or not — worker/bundle.ts). Each activity runs in a RunActivity span,
 * child of the workflow's StartActivity span, so its PostgreSQL queries join the trace.
 */
export const tracingActivityInterceptors: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

/**
 * The sink through which the workflow sandbox hands its finished spans to this process's span
 * processor. It is registered even with tracing off (a no-op processor then), because the
 * bundled workflow interceptors always call it.
 */
export function workflowSpanSinks(): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  const tracing = activeTracing();
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}
