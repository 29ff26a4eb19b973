import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * Express middleware: every answer carries its trace as a W3C Trace Context Level 2 `traceresponse`
 * header (`00-<trace id>-<span id>-<flags>`), so a caller or an SRE can open the request's trace in Jaeger
 * without searching for it.
 */
export function traceResponseHeader(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const context = trace.getActiveSpan()?.spanContext();
  if (context && isSpanContextValid(context)) {
    const flags = context.traceFlags.toString(16).padStart(2, '0');
    res.setHeader('traceresponse', `00-${context.traceId}-${context.spanId}-${flags}`);
  }
  next();
}
