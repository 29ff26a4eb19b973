// The dev/test Kafka (tools/kafka): the Jest run's broker has every contract topic with explicit configs,
// refuses topics nobody created, and a broker started on a data folder keeps its messages across a restart
// (what `npm start` relies on).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS } from '@fapiao/contracts';

interface Broker {
  bootstrap: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}
const KAFKA = pathToFileURL(join(__dirname, 'kafka.mjs')).href;
const HOUR_MS = 3_600_000;

const client = (bootstrap: string) =>
  new Kafka({
    clientId: 'kafka-tool-spec',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
  });

jest.setTimeout(120_000);

describe('the Jest run’s Kafka', () => {
  const kafka = client(process.env['KAFKA_BROKERS'] ?? '');
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('has every contract topic, 3 partitions each, created with explicit retention and min.insync.replicas', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [...ALL_TOPICS] });
    expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      [...ALL_TOPICS].map((name) => [name, 3]).sort(),
    );
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: ['fapiao.orders.v1', 'fapiao.orders.v1.retry', 'fapiao.orders.v1.dlq'].map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['retention.ms', 'min.insync.replicas', 'cleanup.policy'],
      })),
    });
    const configs = Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
    const live = {
      'retention.ms': String(168 * HOUR_MS),
      'min.insync.replicas': '1',
      'cleanup.policy': 'delete',
    };
    expect(configs).toEqual({
      'fapiao.orders.v1': live,
      'fapiao.orders.v1.retry': live,
      'fapiao.orders.v1.dlq': { ...live, 'retention.ms': String(720 * HOUR_MS) },
    });
  });

  it('refuses to produce to a topic that was never created (no auto-creation)', async () => {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: `fapiao.typo.${Date.now()}`, messages: [{ value: 'x' }] }),
      ).rejects.toThrow(/does not host this topic-partition|unknown topic/i);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('a broker on a data folder', () => {
  it('keeps its topics and messages across a stop and a start', async () => {
    const { startKafka } = (await import(KAFKA)) as {
      startKafka(options: object): Promise<Broker>;
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'kafka-tool-spec-'));
    const broker = await startKafka({ dataDir });
    try {
      const kafka = client(broker.bootstrap);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'kept', numPartitions: 1 }] });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'kept', acks: -1, messages: [{ key: 'k', value: 'before restart' }] });
      await producer.disconnect();

      await broker.down();
      await broker.up();

      const consumer = kafka.consumer({
        groupId: 'kept-reader',
        sessionTimeout: 6_000,
        maxWaitTimeInMs: 100,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'kept', fromBeginning: true });
      const value = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      await consumer.disconnect();
      expect(value).toBe('before restart');
    } finally {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
