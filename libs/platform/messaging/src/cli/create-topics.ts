/**
 * Creates every fapiao topic (base, `.retry`, `.dlq`, with KAFKA_PREFIX before each) on a real Kafka cluster
 * with explicit configs; run by the Helm hook Job and by the local Kafka of `npm start` and the tests
 * (tools/kafka). Idempotent; on upgrade it grows partitions (never shrinks) and re-applies the configs.
 */
import { z } from 'zod';
import { ALL_TOPICS } from '@fapiao/contracts';
import { defineConfig, env, kafkaConfig } from '@fapiao/platform/config';
import { createKafka } from '../kafka-client';
import { ensureTopics } from './ensure-topics';

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

async function main(): Promise<void> {
  const settings = topicSettings.read();
  const kafka = createKafka(
    kafkaConfig({ name: 'topic-job', defaultPort: 0, defaultDatabase: 'none' }).read(),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { created, grown, notShrunk, reconfigured } = await ensureTopics(admin, ALL_TOPICS, settings);
    console.log(
      `topics: ${created.length} created, ${ALL_TOPICS.length - created.length} already present, ` +
        `${grown.length} grown to ${settings.partitions} partitions, ${reconfigured.length} reconfigured`,
    );
    for (const { topic, has } of notShrunk) {
      console.warn(
        `topics: ${topic} keeps its ${has} partitions (Kafka never shrinks a topic; asked ${settings.partitions})`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`create-topics failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
