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

/**
 * The lag series this process reports, by group and topic. After a rebalance a partition's lag is reported
 * by its new owner only: a series left behind would show a frozen lag forever (and mislead an autoscaler).
 */
export class ConsumerLagSeries {
  private readonly partitions = new Map<string, Set<number>>();

  constructor(private readonly gauge: Gauge<'topic' | 'partition' | 'group'> = consumerLag) {}

  set(group: string, topic: string, partition: number, lag: number): void {
    const key = `${group} ${topic}`;
    const owned = this.partitions.get(key) ?? new Set<number>();
    owned.add(partition);
    this.partitions.set(key, owned);
    this.gauge.set({ topic, partition, group }, lag);
  }

  /** A (re)join: removes the series of the partitions this member no longer owns. */
  keepOnly(group: string, topic: string, assigned: readonly number[]): void {
    const owned = this.partitions.get(`${group} ${topic}`);
    for (const partition of owned ?? []) {
      if (assigned.includes(partition)) continue;
      this.gauge.remove({ topic, partition, group });
      owned?.delete(partition);
    }
  }
}

export const outboxLag = new Gauge({
  name: 'fapiao_outbox_lag_seconds',
  help: 'Age of the oldest outbox message not yet published (0 when none)',
});

export const outboxDeadLettered = new Counter({
  name: 'fapiao_outbox_dead_lettered_total',
  help: 'Outbox messages the broker refused as too large, sent to .dlq without their payload',
  labelNames: ['topic'],
});

export const outboxPublished = new Counter({
  name: 'fapiao_outbox_published_total',
  help: 'Outbox messages published to Kafka',
  labelNames: ['topic'],
});
