import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';

/** Paths polled by probes and Prometheus: no spans for them. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry tracing to an OTLP/HTTP collector (Jaeger, Tempo, the OpenTelemetry Collector):
 * spans for inbound HTTP, express routes, PostgreSQL queries and Redis commands. Loaded — with the
 * SDK and its instrumentations — only when OTEL_EXPORTER_OTLP_ENDPOINT is set, and started before
 * the rest of the platform is imported so the instrumentations can wrap those libraries.
 *
 *   const stopTracing = await startTracing({ endpoint: 'http://jaeger:4318', serviceName: 'spp' });
 */
export function startTracing(o: { endpoint: string; serviceName: string }): () => Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${o.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const sdk = new NodeSDK({
    serviceName: o.serviceName,
    spanProcessors: [new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.has((req.url ?? '').split('?')[0] ?? ''),
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}
