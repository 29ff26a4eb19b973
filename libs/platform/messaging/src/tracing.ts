import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

/**
 * Messaging spans are ours rather than the kafkajs instrumentation's: the outbox decouples publishing
 * from the business operation, and the instrumentation would parent the producer span on the relay's
 * poll loop. Here the publish span is a child of the operation that wrote the outbox row, and the
 * consumer's process span a child of that publish span — one trace per order (see docs/adr).
 */
const tracer = trace.getTracer('fapiao-messaging');

type Headers = Record<string, string>;

const baseAttributes = (topic: string, key: string, messageId: string) => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  'messaging.kafka.message.key': key,
  'messaging.message.id': messageId,
});

/** Starts the publish span under the context stored with the outbox row; returns headers carrying it. */
export function startPublishSpan(
  topic: string,
  key: string,
  messageId: string,
  stored: Headers,
): { span: Span; headers: Headers } {
  const parent = propagation.extract(ROOT_CONTEXT, stored);
  const span = tracer.startSpan(
    `${topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { ...baseAttributes(topic, key, messageId), 'messaging.operation.type': 'send' },
    },
    parent,
  );
  const headers = { ...stored };
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

export function processContext(
  topic: string,
  key: string,
  messageId: string,
  headers: Headers,
  attributes: Record<string, string | number>,
): { span: Span; ctx: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...baseAttributes(topic, key, messageId),
        'messaging.operation.type': 'process',
        ...attributes,
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

export const withContext = <T>(ctx: Context, fn: () => T): T => context.with(ctx, fn);

/**
 * Work done once for a batch (its prefetch): one span linked to every message's producer context, so a
 * trace of any of those messages leads to it, and the statements it runs nest under it.
 */
export async function inBatchSpan<T>(topic: string, headers: Headers[], work: () => Promise<T>): Promise<T> {
  const links = headers
    .map((carrier) => trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier)))
    .filter((spanContext) => spanContext !== undefined)
    .map((spanContext) => ({ context: spanContext }));
  const span = tracer.startSpan(`${topic} prefetch`, {
    kind: SpanKind.INTERNAL,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.batch.message_count': headers.length,
    },
  });
  try {
    return await context.with(trace.setSpan(ROOT_CONTEXT, span), work);
  } finally {
    span.end();
  }
}
