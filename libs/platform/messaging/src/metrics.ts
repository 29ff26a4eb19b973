import { Counter, Gauge, Histogram } from 'prom-client';

export const messagesConsumed = new Counter({
  name: 'fapiao_messages_consumed_total',
  help: 'Messages handled by consumers, by outcome (processed, duplicate, ignored, retried, dead_lettered)',
  labelNames: ['topic', 'type', 'outcome'],
});

export const handlerDuration = new Histogram({
  name: 'fapiao_message_handler_duration_seconds',
  help: 'Time a handler takes for one message, inside its unit of work',
  labelNames: ['topic', 'type'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const consumerLag = new Gauge({
  name: 'fapiao_kafka_consumer_lag',
  help: 'Messages behind the end of the partition after the last batch',
  labelNames: ['topic', 'partition', 'group'],
});

export const outboxLag = new Gauge({
  name: 'fapiao_outbox_lag_seconds',
  help: 'Age of the oldest outbox message not yet published (0 when none)',
});

export const outboxPublished = new Counter({
  name: 'fapiao_outbox_published_total',
  help: 'Outbox messages published to Kafka',
  labelNames: ['topic'],
});
