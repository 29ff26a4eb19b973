import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { HEADERS } from '@fapiao/contracts';

/** Raw Kafka access for tests: producing malformed messages, reading dead-letter topics. */
export function testKafka(brokers = process.env['KAFKA_BROKERS'] ?? ''): Kafka {
  return new Kafka({ clientId: 'fapiao-tests', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

export async function produceRaw(
  topic: string,
  messages: { key: string; value: string; headers?: Record<string, string> }[],
): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/**
 * A message as an internal producer sends it, for produceRaw: the envelope (a fresh id unless given, its
 * own correlation) keyed by `key`, with the type and version headers the consumers read first.
 */
export function envelopeMessage(
  type: string,
  fields: { tenantId: string; key: string; payload: unknown; id?: string; version?: number },
): { key: string; value: string; headers: Record<string, string> } {
  const { tenantId, key, payload, id = randomUUID(), version = 1 } = fields;
  const envelope = {
    id,
    type,
    version,
    occurredAt: new Date().toISOString(),
    tenantId,
    key,
    causationId: null,
    correlationId: id,
    payload,
  };
  return {
    key,
    value: JSON.stringify(envelope),
    headers: { [HEADERS.type]: type, [HEADERS.version]: String(version) },
  };
}

export interface ReadMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const decode = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      String(Array.isArray(value) ? value[0] : value),
    ]),
  );

/** Reads a topic from the beginning until `done` says enough or the time runs out; returns what it saw. */
export async function readTopic(
  topic: string,
  done: (messages: ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const consumer = testKafka().consumer({
    groupId: `fapiao-tests-${topic}-${Date.now()}-${Math.random()}`,
    sessionTimeout: 6_000,
    rebalanceTimeout: 6_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
  });
  const seen: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: decode(message.headers),
          });
          if (done(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
