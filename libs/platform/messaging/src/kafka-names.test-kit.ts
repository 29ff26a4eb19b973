import 'reflect-metadata';
import {
  Kafka,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import {
  ALL_TOPICS,
  HEADERS,
  KAFKA_SERVICE_TOPICS,
  MESSAGE_CONTRACTS,
  type KafkaService,
} from '@fapiao/contracts';
import { KAFKA_CONFIG, kafkaConfig, SERVICE_IDENTITY, type ServiceIdentity } from '@fapiao/platform/config';
import { ensureTopics } from './cli/ensure-topics';
import { KafkaConsumerServer } from './consumer/kafka-consumer.server';
import { onMessage } from './consumer/message-pattern';
import { createKafka } from './kafka-client';
import { KafkaProducerService } from './kafka-producer.service';
import { MESSAGING_CONFIG, messagingConfig } from './messaging.config';
import { UnitOfWork } from '@fapiao/platform/persistence';

/** Every topic and consumer-group name a client handed to the cluster, as the cluster sees them. */
export interface KafkaNamesUsed {
  /** Produced to (outbox, .retry, .dlq), subscribed to, or created by the topic CLI. */
  topics: Set<string>;
  groups: Set<string>;
  /** `fapiao-original-topic` of the dead letters: our names, so a redrive through createKafka finds them. */
  deadLetterOrigins: Set<string>;
}

/** Any other collaborator of the runner (stores, metrics): every method a no-op that resolves. */
const noOp: object = new Proxy({}, { get: () => async () => undefined });

/**
 * `type` built the way Nest's injector would, from its constructor's parameter types and `@Inject` tokens,
 * with `given` for the ones that matter here: the runner keeps working when it gains a collaborator.
 */
function construct<T>(type: new (...args: never[]) => T, given: [unknown, unknown][]): T {
  const values = new Map(given);
  const types = (Reflect.getMetadata('design:paramtypes', type) ?? []) as unknown[];
  const tokens = (Reflect.getMetadata('self:paramtypes', type) ?? []) as { index: number; param: unknown }[];
  const args = types.map((paramType, index) => {
    const key = tokens.find((token) => token.index === index)?.param ?? paramType;
    return values.has(key) ? values.get(key) : noOp;
  });
  return new (type as unknown as new (...args: unknown[]) => T)(...args);
}

function withEnv<T>(env: NodeJS.ProcessEnv, read: () => T): T {
  const saved = process.env;
  process.env = { ...env };
  try {
    return read();
  } finally {
    process.env = saved;
  }
}

/**
 * Runs a service's own Kafka code — its consumer runner with a handler per message type it consumes, its
 * producer as the outbox relay uses it, a dead-letter, and the topic CLI — with the configuration `env`
 * gives it (e.g. a rendered ConfigMap), against a recording stand-in for the kafkajs client, and returns
 * the names that reached the client. No broker is contacted.
 */
export async function kafkaNamesUsedBy(
  service: KafkaService,
  env: NodeJS.ProcessEnv,
): Promise<KafkaNamesUsed> {
  const identity: ServiceIdentity = { name: service, defaultPort: 0, defaultDatabase: 'none' };
  const config = withEnv(env, () => kafkaConfig(identity).read());
  const messaging = withEnv(env, () => messagingConfig.read());
  const topicJob = withEnv(env, () =>
    kafkaConfig({ name: 'topic-job', defaultPort: 0, defaultDatabase: 'none' }).read(),
  );
  const used: KafkaNamesUsed = { topics: new Set(), groups: new Set(), deadLetterOrigins: new Set() };
  const runs: ((payload: EachBatchPayload) => Promise<void>)[] = [];
  const subscribed: string[] = [];

  const events = {
    CRASH: 'crash',
    STOP: 'stop',
    GROUP_JOIN: 'join',
    END_BATCH_PROCESS: 'end',
    DISCONNECT: 'dc',
  };
  const producer = {
    events,
    on: () => () => undefined,
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async ({ topic }: { topic: string }) => void used.topics.add(topic),
    sendBatch: async ({ topicMessages = [] }: { topicMessages?: TopicMessages[] }) => {
      for (const { topic, messages } of topicMessages) {
        used.topics.add(topic);
        for (const { headers } of messages) {
          const origin = headers?.[HEADERS.originalTopic];
          if (origin !== undefined) used.deadLetterOrigins.add(String(origin));
        }
      }
      return [];
    },
  } as unknown as Producer;
  const consumer = (groupId: string) =>
    ({
      events,
      on: () => () => undefined,
      connect: async () => undefined,
      disconnect: async () => undefined,
      stop: async () => undefined,
      commitOffsets: async (offsets: { topic: string }[]) => {
        for (const { topic } of offsets) used.topics.add(topic);
      },
      subscribe: async (subscription: { topic?: string; topics?: string[] }) => {
        used.groups.add(groupId);
        for (const topic of subscription.topics ?? [subscription.topic ?? '']) {
          used.topics.add(topic);
          subscribed.push(topic);
        }
      },
      run: async ({ eachBatch }: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) =>
        void runs.push(eachBatch),
    }) as unknown as Consumer;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => [],
    createTopics: async ({ topics }: { topics: { topic: string }[] }) => {
      for (const { topic } of topics) used.topics.add(topic);
      return true;
    },
  } as unknown as Admin;

  const original = {
    producer: Kafka.prototype.producer,
    consumer: Kafka.prototype.consumer,
    admin: Kafka.prototype.admin,
  };
  Kafka.prototype.producer = () => producer;
  Kafka.prototype.consumer = ({ groupId }) => consumer(groupId);
  Kafka.prototype.admin = () => admin;
  try {
    const producerService = new KafkaProducerService(config);
    const unitOfWork = { run: async (work: () => Promise<unknown>) => work() } as unknown as UnitOfWork;
    const server = construct(KafkaConsumerServer, [
      [KAFKA_CONFIG, config],
      [MESSAGING_CONFIG, messaging],
      [SERVICE_IDENTITY, identity],
      [KafkaProducerService, producerService],
      [UnitOfWork, unitOfWork],
    ]);
    const { produces, consumes } = KAFKA_SERVICE_TOPICS[service];
    for (const contract of MESSAGE_CONTRACTS.filter((c) =>
      (consumes as readonly string[]).includes(c.topic),
    )) {
      server.addHandler(JSON.stringify(onMessage(contract)), async () => undefined, true);
    }
    server.listen(() => undefined);
    const expected = consumes.length * 2; // each topic and its .retry
    for (let wait = 0; runs.length < expected && wait < 200; wait += 1)
      await new Promise((r) => setTimeout(r, 5));

    // One unparseable message on every subscription: the runner dead-letters it to the topic's `.dlq`.
    await Promise.all(
      runs.map((eachBatch, index) =>
        eachBatch({
          batch: {
            topic: subscribed[index],
            partition: 0,
            messages: [{ offset: '0', key: null, value: Buffer.from('{'), headers: {} }],
          },
          heartbeat: async () => undefined,
          resolveOffset: () => undefined,
          isRunning: () => true,
          isStale: () => false,
        } as unknown as EachBatchPayload),
      ),
    );
    // The outbox relay publishes each row to its contract's topic.
    await producerService.sendBatch(produces.map((topic) => ({ topic, messages: [{ value: 'x' }] })));
    await ensureTopics(createKafka(topicJob).admin(), ALL_TOPICS, {
      partitions: 1,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      retentionMs: 1,
      deadLetterRetentionMs: 1,
    });
    await server.close();
  } finally {
    Object.assign(Kafka.prototype, original);
  }
  return used;
}
