/**
 * Loaded with `node --require .../register.js` before the application, so instrumentations patch http,
 * fetch, express, Nest, mysql2 and pino before anything imports them. Spans are always recorded (logs carry
 * trace ids); they are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { MYSQL2_INSTRUMENTATION_CONFIG } from './redaction';
import { setTelemetryShutdown } from './telemetry-lifecycle';

const NOISY_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

if (process.env.OTEL_SDK_DISABLED !== 'true') {
  const exporting = Boolean(
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME,
    // With an endpoint the SDK batches to it (OTEL_BSP_* and OTEL_TRACES_SAMPLER apply). Without one, spans
    // are not recorded at all (they cost ~40 % of throughput, docs/benchmarks.md) but still get ids, so logs
    // carry trace_id/span_id and context propagates to the next service.
    ...(exporting
      ? { traceExporter: new OTLPTraceExporter() }
      : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => NOISY_PATHS.has((request.url ?? '').split('?')[0]),
      }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      // fetch(): tax-bridge → authority, order → auth. Kafka spans are libs/platform/messaging's own (see
      // tracing.ts there): the outbox needs publish spans parented on the business operation.
      new UndiciInstrumentation(),
      // A span per SQL statement is worth its cost only when someone looks at it: with no collector the
      // statements are not instrumented at all (tens per invoice, docs/benchmarks.md). Never with values.
      ...(exporting ? [new MySQL2Instrumentation(MYSQL2_INSTRUMENTATION_CONFIG)] : []),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
  setTelemetryShutdown(() => sdk.shutdown());
}
