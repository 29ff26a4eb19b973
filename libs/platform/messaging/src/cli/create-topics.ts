/**
 * Creates every fapiao topic (base, `.retry`, `.dlq`) on a real Kafka cluster; run by the Helm hook Job.
 * Idempotent: existing topics are left alone.
 */
import { z } from 'zod';
import { ALL_TOPICS } from '@fapiao/contracts';
import { defineConfig, env, kafkaConfig } from '@fapiao/platform/config';
import { createKafka } from '../kafka-client';

const topicSettings = defineConfig(
  'topics',
  z.object({
    KAFKA_TOPIC_PARTITIONS: env.int(6, 1),
    KAFKA_TOPIC_REPLICATION_FACTOR: env.int(3, 1),
  }),
  (e) => ({ partitions: e.KAFKA_TOPIC_PARTITIONS, replicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR }),
);

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
