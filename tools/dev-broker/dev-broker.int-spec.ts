// librdkafka's mock cluster against the client the services use, kafkajs 2.2.4: the features the
// platform relies on, and the faults it can make that a real broker cannot (per-request error codes).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Consumer, Kafka, KafkaJSError, logLevel, Partitioners, Producer } from 'kafkajs';

/** What the spec uses of tools/dev-broker/dev-broker.mjs's handle. */
interface MockBroker {
  bootstrap: string;
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  pushErrors(apiKey: number, errors: number[]): Promise<void>;
  reset(): Promise<void>;
  createTopic(name: string, partitions?: number): Promise<void>;
  stop(): Promise<void>;
}
const DEV_BROKER = pathToFileURL(join(__dirname, 'dev-broker.mjs')).href;

// What makes the mock's group joins fast: it holds a rebalance for sessionTimeout - 1 s once a group
// has members, and kafkajs heartbeats only between fetches, so fetches must return quickly.
const FAST_GROUP = {
  sessionTimeout: 3000,
  rebalanceTimeout: 3000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
};

// A join into a group that had members waits out the mock's 2 s rebalance hold.
jest.setTimeout(20_000);

describe('librdkafka mock cluster with kafkajs', () => {
  let control: MockBroker;
  let kafka: Kafka;
  // The first run builds librdkafka (about a minute), cached in ~/.cache/fapiao/dev-broker.
  beforeAll(async () => {
    const { startDevBroker } = (await import(DEV_BROKER)) as {
      startDevBroker(options: object): Promise<MockBroker>;
    };
    control = await startDevBroker({ brokers: 1, partitions: 3 });
    kafka = new Kafka({
      clientId: 'dev-broker-spec',
      brokers: [control.bootstrap],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
  }, 300_000);
  afterAll(() => control?.stop());
  const run = `${process.pid}-${Date.now()}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  const closeLater = <T extends { disconnect(): Promise<void> }>(client: T): T => {
    cleanups.push(() => client.disconnect());
    return client;
  };
  const newTopic = async (name: string): Promise<string> => {
    const topic = `dev-broker-spec.${name}.${run}`;
    await control.createTopic(topic, 3);
    return topic;
  };
  const producer = (options: Parameters<Kafka['producer']>[0] = {}): Producer =>
    closeLater(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...options }));
  const consumer = (groupId: string): Consumer => closeLater(kafka.consumer({ groupId, ...FAST_GROUP }));

  afterEach(async () => {
    await control.reset();
    await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  it('delivers an idempotent producer’s messages to a consumer group and keeps its committed offsets', async () => {
    const topic = await newTopic('offsets');
    const groupId = `offsets-${run}`;
    const sender = producer({ idempotent: true, maxInFlightRequests: 1 });
    await sender.connect();
    await sender.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });

    const first = consumer(groupId);
    const seen = await consume(first, topic, 10);
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`).sort());
    await first.disconnect();

    const admin = closeLater(kafka.admin());
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(10);

    // A new member of the group resumes at the committed offsets.
    await sender.send({ topic, messages: [{ key: 'k10', value: 'v10' }] });
    expect(await consume(consumer(groupId), topic, 1)).toEqual(['v10']);
  });

  it('splits the partitions between two members of one group', async () => {
    const topic = await newTopic('split');
    const groupId = `split-${run}`;
    const members = [consumer(groupId), consumer(groupId)];
    const assigned: number[][] = [[], []];
    for (const [i, member] of members.entries()) {
      member.on(
        member.events.GROUP_JOIN,
        ({ payload }) => (assigned[i] = payload.memberAssignment[topic] ?? []),
      );
      await member.connect();
      await member.subscribe({ topic, fromBeginning: true });
      await member.run({ eachMessage: () => Promise.resolve() });
    }

    // The first member's new assignment can arrive after the second member's.
    const split = () => assigned.every((partitions) => partitions.length > 0) && assigned.flat().length === 3;
    await until(split, 15_000);
    expect(assigned.flat().sort()).toEqual([0, 1, 2]);
  });

  it('fails requests while a broker is down and serves them again once it is up', async () => {
    const topic = await newTopic('down');
    const admin = closeLater(kafka.admin());
    const sender = producer({ retry: { retries: 1, initialRetryTime: 100 } });
    await admin.connect();
    await sender.connect();
    await admin.describeCluster();

    await control.brokerDown(1);
    const downAt = Date.now();
    await expect(admin.describeCluster()).rejects.toBeInstanceOf(KafkaJSError);
    await expect(sender.send({ topic, messages: [{ value: 'lost' }] })).rejects.toBeInstanceOf(KafkaJSError);
    expect(Date.now() - downAt).toBeLessThan(8000);

    await control.brokerUp(1);
    await expect(admin.describeCluster()).resolves.toMatchObject({ brokers: [{ nodeId: 1 }] });
    await expect(sender.send({ topic, messages: [{ value: 'kept' }] })).resolves.toHaveLength(1);
  });

  it('fails a produce with the pushed error code, and retries a retriable one', async () => {
    const topic = await newTopic('errors');
    const sender = producer({ retry: { retries: 0 } });
    await sender.connect();

    const PRODUCE = 0;
    await control.pushErrors(PRODUCE, [87]);
    await expect(sender.send({ topic, messages: [{ value: 'rejected' }] })).rejects.toMatchObject({
      type: 'INVALID_RECORD',
    });

    const retrying = producer({ retry: { retries: 2, initialRetryTime: 100 } });
    await retrying.connect();
    await control.pushErrors(PRODUCE, [6]); // NOT_LEADER_FOR_PARTITION: kafkajs refreshes metadata, retries
    await expect(retrying.send({ topic, messages: [{ value: 'retried' }] })).resolves.toHaveLength(1);
  });
});

/** Runs the consumer until it has seen `count` messages of the topic; returns their values. */
async function consume(consumer: Consumer, topic: string, count: number): Promise<string[]> {
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
  await until(() => values.length >= count, 15_000);
  return values;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
