import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Typed access to tools/jaeger/jaeger.mjs (the Jaeger of `npm start`), and a client of its query API. */
export interface RunningJaeger {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: string;
  queryUrl: string;
  stop(): Promise<void>;
}

interface JaegerModule {
  startJaeger(options?: {
    otlpHttpPort?: number;
    queryPort?: number;
    log?: (line: string) => void;
  }): Promise<RunningJaeger>;
}

const JAEGER = pathToFileURL(join(__dirname, '../../../tools/jaeger/jaeger.mjs')).href;

const jaegerModule = (): Promise<JaegerModule> => import(JAEGER) as Promise<JaegerModule>;

/** Jaeger on free loopback ports, traces in memory; the e2e global setup has built it. */
export const startJaeger = async (log?: (line: string) => void): Promise<RunningJaeger> =>
  (await jaegerModule()).startJaeger({ log });

/** A span as Jaeger's query API (/api/traces, what its UI reads) returns it, flattened. */
export interface JaegerSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** The CHILD_OF reference; absent on a root. */
  parentSpanId?: string;
  name: string;
  /** server, client, producer, consumer or internal (Jaeger's `span.kind` tag). */
  kind: string;
  attributes: Record<string, string | number | boolean>;
}

interface ApiTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    processID: string;
    references?: { refType: string; spanID: string }[];
    tags?: { key: string; value: string | number | boolean }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

/** Jaeger's query API, as a test reads it. Every answer is kept as JSON text too, for "never appears" checks. */
export class JaegerQuery {
  constructor(readonly url: string) {}

  /** GET /api/traces/:id: the spans Jaeger holds for the trace, with the raw JSON of the answer. */
  async trace(traceId: string): Promise<{ spans: JaegerSpan[]; json: string }> {
    const { data, json } = await this.get(`/api/traces/${traceId}`);
    return { spans: data.flatMap(flatten), json };
  }

  /** Trace ids of the service's traces with a span carrying every one of these tags (the UI's search). */
  async findTraceIds(service: string, tags: Record<string, string>): Promise<string[]> {
    const query = new URLSearchParams({ service, tags: JSON.stringify(tags), lookback: '1h', limit: '20' });
    const { data } = await this.get(`/api/traces?${query}`);
    return data.map((trace) => trace.traceID);
  }

  /** Every service Jaeger has spans from. */
  async services(): Promise<string[]> {
    const response = await fetch(`${this.url}/api/services`);
    if (!response.ok) throw new Error(`jaeger /api/services: ${response.status}`);
    return ((await response.json()) as { data: string[] | null }).data ?? [];
  }

  /** The JSON of every trace Jaeger holds for the service (up to `limit`). */
  async allTracesJson(service: string, limit = 1000): Promise<string> {
    const query = new URLSearchParams({ service, lookback: '1h', limit: String(limit) });
    return (await this.get(`/api/traces?${query}`)).json;
  }

  private async get(path: string): Promise<{ data: ApiTrace[]; json: string }> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`jaeger ${path}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { data: ApiTrace[] | null };
    // Re-serialised, so a value Jaeger wrote with \u escapes is compared as the characters it stands for.
    return { data: body.data ?? [], json: JSON.stringify(body) };
  }
}

function flatten(trace: ApiTrace): JaegerSpan[] {
  return trace.spans.map((span) => {
    const attributes = Object.fromEntries((span.tags ?? []).map(({ key, value }) => [key, value]));
    return {
      service: trace.processes[span.processID]?.serviceName ?? 'unknown',
      traceId: trace.traceID,
      spanId: span.spanID,
      parentSpanId: span.references?.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
      name: span.operationName,
      kind: String(attributes['span.kind'] ?? 'internal'),
      attributes,
    };
  });
}
