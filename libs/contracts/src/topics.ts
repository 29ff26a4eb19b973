/** Kafka topics (architecture.md §3). Every base topic has a `.retry` and a `.dlq` companion. */
export const TOPICS = {
  orders: 'fapiao.orders.v1',
  invoiceRequests: 'fapiao.invoice-requests.v1',
  invoices: 'fapiao.invoices.v1',
  taxCommands: 'fapiao.tax.commands.v1',
  taxEvents: 'fapiao.tax.events.v1',
  recon: 'fapiao.recon.v1',
} as const;

export type BaseTopic = (typeof TOPICS)[keyof typeof TOPICS];

export const retryTopic = (topic: BaseTopic): string => `${topic}.retry`;
export const deadLetterTopic = (topic: BaseTopic): string => `${topic}.dlq`;

/**
 * The consumer group a service reads a topic with (one group per topic, so a failing topic never stalls
 * another), which is also its inbox's dedupe scope; the topic's `.retry` companion is read by
 * `retryConsumerGroup(group)`.
 */
export const consumerGroup = (service: string, topic: BaseTopic): string => `fapiao-${service}.${topic}`;
export const retryConsumerGroup = (group: string): string => `${group}.retry`;

/** Every topic the platform uses, companions included: what tools/kafka and the Helm hook create. */
export const ALL_TOPICS: readonly string[] = Object.values(TOPICS).flatMap((topic) => [
  topic,
  retryTopic(topic),
  deadLetterTopic(topic),
]);
