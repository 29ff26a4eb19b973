import { z } from 'zod';
import { Id, Timestamp } from './primitives';

/** Every Kafka message's value (architecture.md §3); W3C trace context travels in Kafka headers. */
export const EnvelopeSchema = z.object({
  id: Id,
  type: z.string().min(1),
  version: z.number().int().min(1),
  occurredAt: Timestamp,
  tenantId: Id,
  /** The aggregate id; also the Kafka message key, so one aggregate's messages stay ordered. */
  key: z.string().min(1),
  causationId: z.string().nullable(),
  correlationId: z.string().min(1),
  payload: z.unknown(),
});

export type Envelope<P = unknown> = Omit<z.infer<typeof EnvelopeSchema>, 'payload'> & { payload: P };

/** Header names we set besides `traceparent`, `tracestate` and `baggage`. */
export const HEADERS = {
  type: 'fapiao-type',
  version: 'fapiao-version',
  error: 'fapiao-error',
  errorCode: 'fapiao-error-code',
  originalTopic: 'fapiao-original-topic',
  originalPartition: 'fapiao-original-partition',
  originalOffset: 'fapiao-original-offset',
  attempt: 'fapiao-attempt',
  notBefore: 'fapiao-not-before',
} as const;
