import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import type { Config } from './index';

export type { Logger };

/**
 * The trace and span a log line was written in, when tracing is on: an operator goes from a
 * line (which also names its `requestId`) to the whole trace in Jaeger/Tempo by `trace_id`.
 */
function traceFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context)
    ? { trace_id: context.traceId, span_id: context.spanId }
    : {};
}

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(config: Pick<Config, 'logLevel'>, component: string): Logger {
  return pino({ level: config.logLevel, base: { component }, mixin: traceFields });
}
