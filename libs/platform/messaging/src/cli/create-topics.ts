/**
 * Creates every fapiao topic (base, `.retry`, `.dlq`) on a real Kafka cluster with explicit configs; run
 * by the Helm hook Job and by the local Kafka of `npm start` and the tests (tools/kafka). Idempotent: existing topics are left alone.
 */
import { z } from 'zod';
import { ALL_TOPICS } from '@fapiao/contracts';
import { defineConfig, env, kafkaConfig } from '@fapiao/platform/config';
import { createKafka } from '../kafka-client';

const HOUR_MS = 3_600_000;

const topicSettings = defineConfig(
  'topics',
  z
    .object({
      KAFKA_TOPIC_PARTITIONS: env.int(6, 1),
      KAFKA_TOPIC_REPLICATION_FACTOR: env.int(3, 1),
      // Unset: 2 where there are replicas enough, so an acknowledged write survives losing one broker.
      KAFKA_TOPIC_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).optional(),
      KAFKA_TOPIC_RETENTION_HOURS: env.int(168, 1),
      // Dead letters wait for an operator to redrive them: kept longer than live traffic.
      KAFKA_DLQ_RETENTION_HOURS: env.int(720, 1),
    })
    .refine((e) => (e.KAFKA_TOPIC_MIN_INSYNC_REPLICAS ?? 1) <= e.KAFKA_TOPIC_REPLICATION_FACTOR, {
      path: ['KAFKA_TOPIC_MIN_INSYNC_REPLICAS'],
      message: 'must not exceed KAFKA_TOPIC_REPLICATION_FACTOR',
    }),
  (e) => ({
    partitions: e.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR,
    minInsyncReplicas: e.KAFKA_TOPIC_MIN_INSYNC_REPLICAS ?? Math.min(2, e.KAFKA_TOPIC_REPLICATION_FACTOR),
    retentionMs: e.KAFKA_TOPIC_RETENTION_HOURS * HOUR_MS,
    deadLetterRetentionMs: e.KAFKA_DLQ_RETENTION_HOURS * HOUR_MS,
  }),
);

type TopicSettings = ReturnType<typeof topicSettings.read>;

/** The configs a topic is created with: the same for every cluster, so none relies on broker defaults. */
function topicConfigs(topic: string, settings: TopicSettings): { name: string; value: string }[] {
  const retention = topic.endsWith('.dlq') ? settings.deadLetterRetentionMs : settings.retentionMs;
  return [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: String(retention) },
    { name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) },
  ];
}

async function main(): Promise<void> {
  const settings = topicSettings.read();
  const kafka = createKafka(
    kafkaConfig({ name: 'topic-job', defaultPort: 0, defaultDatabase: 'none' }).read(),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = ALL_TOPICS.filter((topic) => !existing.has(topic));
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: settings.partitions,
        replicationFactor: settings.replicationFactor,
        configEntries: topicConfigs(topic, settings),
      })),
    });
    console.log(`topics: ${missing.length} created, ${ALL_TOPICS.length - missing.length} already present`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`create-topics failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
