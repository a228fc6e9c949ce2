import { trace } from '@opentelemetry/api';
import { loadConfig } from '../../config';
import { activeTracing, startTracing } from '../../config/tracing';

/**
 * Tracing settings (docs/OBSERVABILITY.md): off unless an OTLP endpoint is given, and the
 * collector's headers in the header-list format operators copy from their vendor's page.
 */
describe('tracing configuration', () => {
  it('is off without an endpoint: nothing recorded, nothing to send', async () => {
    const config = loadConfig({});
    expect(config.tracing.otlpEndpoint).toBeUndefined();
    const tracing = startTracing(config.tracing, 'partner-api');
    expect(tracing.exporting).toBe(false);
    expect(activeTracing()).toBe(tracing);
    const span = trace.getTracer('test').startSpan('request');
    expect(span.isRecording()).toBe(false);
    span.end();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('reads the endpoint, the collector headers and the sample ratio', () => {
    const { tracing } = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://tempo.example:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20dXNlcjprZXk=, X-Scope-OrgID=partners',
      TRACE_SAMPLE_RATIO: '0.25',
    });
    expect(tracing).toMatchObject({
      otlpEndpoint: 'https://tempo.example:4318',
      otlpHeaders: { Authorization: 'Basic dXNlcjprZXk=', 'X-Scope-OrgID': 'partners' },
      sampleRatio: 0.25,
    });
  });

  it('refuses an endpoint that is not a URL and a ratio outside 0..1', () => {
    expect(() =>
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318', TRACE_SAMPLE_RATIO: '2' }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*TRACE_SAMPLE_RATIO|TRACE_SAMPLE_RATIO[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
