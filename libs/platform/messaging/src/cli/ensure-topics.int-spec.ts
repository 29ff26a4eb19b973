// The topic CLI's work on a real Kafka, as an upgrade of the chart runs it: a release with its own prefix
// gets every topic under that prefix; a second run with more partitions and other retention grows the
// topics (never shrinks them) and re-applies the configs, keeping a dynamic config a platform team set.
import { ConfigResourceTypes, logLevel, type Admin } from 'kafkajs';
import { ALL_TOPICS } from '@fapiao/contracts';
import { kafkaConfig } from '@fapiao/platform/config';
import { eventually } from '@fapiao/testing';
import { createKafka } from '../kafka-client';
import { ensureTopics, type TopicSettings } from './ensure-topics';

jest.setTimeout(120_000);

const HOUR_MS = 3_600_000;
const prefix = `it-${Date.now().toString(36)}.`;
const settings: TopicSettings = {
  partitions: 2,
  replicationFactor: 1,
  minInsyncReplicas: 1,
  retentionMs: 24 * HOUR_MS,
  deadLetterRetentionMs: 48 * HOUR_MS,
};

function adminFor(KAFKA_PREFIX: string): Admin {
  const saved = process.env;
  process.env = { KAFKA_BROKERS: saved['KAFKA_BROKERS'], KAFKA_PREFIX };
  try {
    const config = kafkaConfig({ name: 'topic-job', defaultPort: 0, defaultDatabase: 'none' }).read();
    return createKafka(config, { logLevel: logLevel.NOTHING }).admin();
  } finally {
    process.env = saved;
  }
}

describe('ensureTopics on a real Kafka', () => {
  const ours = adminFor(prefix);
  const raw = adminFor('');
  beforeAll(() => Promise.all([ours.connect(), raw.connect()]));
  afterAll(async () => {
    await raw.deleteTopics({ topics: ALL_TOPICS.map((topic) => `${prefix}${topic}`) }).catch(() => undefined);
    await Promise.all([ours.disconnect(), raw.disconnect()]);
  });

  const partitionsOf = async (topic: string) =>
    (await raw.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
  const configOf = async (topic: string) => {
    const { resources } = await raw.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  };

  it('creates every topic under the release’s prefix, and only there', async () => {
    const outcome = await ensureTopics(ours, ALL_TOPICS, settings);
    expect(outcome.created).toEqual([...ALL_TOPICS]);
    const onCluster = new Set(await raw.listTopics());
    for (const topic of ALL_TOPICS) expect(onCluster.has(`${prefix}${topic}`)).toBe(true);
    // The release sees its own names back, without the prefix.
    expect(new Set(await ours.listTopics())).toEqual(new Set(ALL_TOPICS));
    expect(await partitionsOf(`${prefix}fapiao.orders.v1`)).toBe(2);
  });

  it('on upgrade grows partitions, re-applies retention and keeps a platform team’s own config', async () => {
    const topic = `${prefix}fapiao.orders.v1`;
    await raw.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [
            { name: 'retention.ms', value: String(HOUR_MS) },
            { name: 'max.message.bytes', value: '2000000' },
          ],
        },
      ],
    });
    // A broker applies a config change asynchronously: the upgrade must start from the changed one.
    await eventually(async () => (await configOf(topic))['retention.ms'] === String(HOUR_MS), 10_000);
    const upgrade = { ...settings, partitions: 4, deadLetterRetentionMs: 96 * HOUR_MS };
    const outcome = await ensureTopics(ours, ALL_TOPICS, upgrade);
    expect(outcome.created).toEqual([]);
    expect(outcome.grown.map((g) => g.topic).sort()).toEqual([...ALL_TOPICS].sort());
    expect(await partitionsOf(topic)).toBe(4);
    const applied = async () =>
      (await configOf(topic))['retention.ms'] === String(24 * HOUR_MS) &&
      (await configOf(`${prefix}fapiao.orders.v1.dlq`))['retention.ms'] === String(96 * HOUR_MS);
    await eventually(applied, 10_000).catch(() => undefined); // the assertions below say what is missing
    expect(await configOf(topic)).toMatchObject({
      'retention.ms': String(24 * HOUR_MS),
      'max.message.bytes': '2000000',
      'min.insync.replicas': '1',
    });
    expect((await configOf(`${prefix}fapiao.orders.v1.dlq`))['retention.ms']).toBe(String(96 * HOUR_MS));
  });

  it('never shrinks: fewer partitions asked leaves the topics as they are, and says so', async () => {
    // The upgrade's configs again, with fewer partitions: nothing to change, nothing shrunk.
    const outcome = await ensureTopics(ours, ALL_TOPICS, {
      ...settings,
      partitions: 1,
      deadLetterRetentionMs: 96 * HOUR_MS,
    });
    expect(outcome.grown).toEqual([]);
    expect(outcome.notShrunk).toContainEqual({ topic: 'fapiao.orders.v1', has: 4 });
    expect(await partitionsOf(`${prefix}fapiao.orders.v1`)).toBe(4);
    expect(outcome.reconfigured).toEqual([]);
  });
});
