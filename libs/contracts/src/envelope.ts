import { z } from 'zod';
import { Id, Timestamp } from './primitives';

/**
 * The longest each envelope field may be: the width of the column it lands in, so a message that a
 * service would fail to store is dead-lettered at parse with the reason instead of failing its handler's
 * transaction over and over. `key` → outbox_messages.message_key VARCHAR(200); `correlationId` →
 * saga_instances.correlation_id VARCHAR(100); `type` is a contract name; `causationId` a message id or
 * a producer's own id.
 */
export const ENVELOPE_LIMITS = { type: 100, key: 200, causationId: 100, correlationId: 100 } as const;

/** Every Kafka message's value (architecture.md §3); W3C trace context travels in Kafka headers. */
export const EnvelopeSchema = z.object({
  id: Id,
  type: z.string().min(1).max(ENVELOPE_LIMITS.type),
  version: z.number().int().min(1),
  occurredAt: Timestamp,
  tenantId: Id,
  /** The aggregate id; also the Kafka message key, so one aggregate's messages stay ordered. */
  key: z.string().min(1).max(ENVELOPE_LIMITS.key),
  causationId: z.string().max(ENVELOPE_LIMITS.causationId).nullable(),
  correlationId: z.string().min(1).max(ENVELOPE_LIMITS.correlationId),
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
  /** On a redriven copy (`.retry`): the consumer group it is meant for; the topic's other groups skip it. */
  redriveGroup: 'fapiao-redrive-group',
  /** On a redriven copy: the redrive (audit record) that sent it. */
  redriveId: 'fapiao-redrive-id',
} as const;
