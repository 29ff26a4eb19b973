import type {
  Admin,
  Batch,
  Consumer,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  IResourceConfig,
  Kafka,
  Producer,
  ProducerBatch,
  ProducerRecord,
  ResourceConfigQuery,
} from 'kafkajs';

/** kafkajs's ConfigResourceTypes.TOPIC and .GROUP (a const enum in its types, so not importable as a value). */
const RESOURCE_TOPIC = 2;
const RESOURCE_GROUP = 3;

/**
 * A release's namespace on a shared cluster (KAFKA_PREFIX, e.g. `staging.`): put before every topic and
 * consumer-group name where our names meet the Kafka client, and taken off again on the way back (batches,
 * events, listings). So the contracts' constants (`fapiao.orders.v1`), the inbox's consumer groups, metric
 * labels and dead-letter headers keep their names in every release, and no producer, consumer, admin call
 * or later tool built on `createKafka` can forget the prefix. Listings show only the release's own names.
 */
export class KafkaNames {
  constructor(readonly prefix: string) {}

  /** The name on the cluster. */
  outward = (name: string): string => `${this.prefix}${name}`;

  /** Our name for a name on the cluster (unchanged when it is not ours). */
  inward = (name: string): string => (this.owns(name) ? name.slice(this.prefix.length) : name);

  owns = (name: string): boolean => name.startsWith(this.prefix);
}

/** `kafka` whose producers, consumers and admins speak our names and use `prefix` + name on the cluster. */
export function withPrefix(kafka: Kafka, prefix: string): Kafka {
  if (prefix === '') return kafka;
  const names = new KafkaNames(prefix);
  return Object.assign(Object.create(kafka) as Kafka, {
    producer: (...args: Parameters<Kafka['producer']>) => prefixProducer(kafka.producer(...args), names),
    consumer: (config: Parameters<Kafka['consumer']>[0]) =>
      prefixConsumer(kafka.consumer({ ...config, groupId: names.outward(config.groupId) }), names),
    admin: (...args: Parameters<Kafka['admin']>) => prefixAdmin(kafka.admin(...args), names),
  });
}

function outwardRecord(record: ProducerRecord, names: KafkaNames): ProducerRecord {
  return { ...record, topic: names.outward(record.topic) };
}

function outwardBatch(batch: ProducerBatch, names: KafkaNames): ProducerBatch {
  return {
    ...batch,
    topicMessages: batch.topicMessages?.map((entry) => ({ ...entry, topic: names.outward(entry.topic) })),
  };
}

function prefixProducer(producer: Producer, names: KafkaNames): Producer {
  return {
    ...producer,
    send: (record) => producer.send(outwardRecord(record, names)),
    sendBatch: (batch) => producer.sendBatch(outwardBatch(batch, names)),
    transaction: async () => {
      const transaction = await producer.transaction();
      return {
        ...transaction,
        send: (record) => transaction.send(outwardRecord(record, names)),
        sendBatch: (batch) => transaction.sendBatch(outwardBatch(batch, names)),
        sendOffsets: ({ consumerGroupId, topics }) =>
          transaction.sendOffsets({
            consumerGroupId: names.outward(consumerGroupId),
            topics: topics.map((entry) => ({ ...entry, topic: names.outward(entry.topic) })),
          }),
      };
    },
  };
}

/** The batch as the handler sees it: our topic name, the rest (offsets, lag) as kafkajs computed it. */
function inwardBatch(batch: Batch, names: KafkaNames): Batch {
  const topic = names.inward(batch.topic);
  return new Proxy(batch, {
    get: (target, property) => {
      if (property === 'topic') return topic;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function inwardKeys<T>(byTopic: Record<string, T>, names: KafkaNames): Record<string, T> {
  return Object.fromEntries(Object.entries(byTopic).map(([topic, value]) => [names.inward(topic), value]));
}

const outwardTopics = (entries: { topic: string; partitions?: number[] }[], names: KafkaNames) =>
  entries.map((entry) => ({ ...entry, topic: names.outward(entry.topic) }));

function prefixConsumer(consumer: Consumer, names: KafkaNames): Consumer {
  const outward = (topic: string | RegExp) => (typeof topic === 'string' ? names.outward(topic) : topic);
  return {
    ...consumer,
    subscribe: (subscription) => {
      const topics: ConsumerSubscribeTopics['topics'] =
        'topics' in subscription ? subscription.topics : [subscription.topic];
      return consumer.subscribe({ fromBeginning: subscription.fromBeginning, topics: topics.map(outward) });
    },
    run: (config: ConsumerRunConfig = {}) => {
      const { eachBatch, eachMessage } = config;
      return consumer.run({
        ...config,
        eachBatch:
          eachBatch && ((payload) => eachBatch({ ...payload, batch: inwardBatch(payload.batch, names) })),
        eachMessage:
          eachMessage && ((payload) => eachMessage({ ...payload, topic: names.inward(payload.topic) })),
      });
    },
    stop: () => consumer.stop(),
    pause: (topics) => consumer.pause(outwardTopics(topics, names)),
    resume: (topics) => consumer.resume(outwardTopics(topics, names)),
    paused: () => consumer.paused().map((entry) => ({ ...entry, topic: names.inward(entry.topic) })),
    seek: (entry) => consumer.seek({ ...entry, topic: names.outward(entry.topic) }),
    commitOffsets: (offsets) =>
      consumer.commitOffsets(offsets.map((entry) => ({ ...entry, topic: names.outward(entry.topic) }))),
    on: ((event: string, listener: (event: { payload: Record<string, unknown> }) => void) =>
      consumer.on(
        event as never,
        ((raw: { payload: Record<string, unknown> }) => {
          const payload = { ...raw.payload };
          if (typeof payload.topic === 'string') payload.topic = names.inward(payload.topic);
          if (typeof payload.groupId === 'string') payload.groupId = names.inward(payload.groupId);
          if (payload.memberAssignment && typeof payload.memberAssignment === 'object') {
            payload.memberAssignment = inwardKeys(payload.memberAssignment as Record<string, unknown>, names);
          }
          listener({ ...raw, payload });
        }) as never,
      )) as Consumer['on'],
  };
}

function outwardResources<T extends ResourceConfigQuery | IResourceConfig>(
  resources: T[],
  names: KafkaNames,
): T[] {
  return resources.map((resource) =>
    (resource.type as number) === RESOURCE_TOPIC || (resource.type as number) === RESOURCE_GROUP
      ? { ...resource, name: names.outward(resource.name) }
      : resource,
  );
}

function prefixAdmin(admin: Admin, names: KafkaNames): Admin {
  const inwardTopic = <T extends { topic: string }>(entry: T): T => ({
    ...entry,
    topic: names.inward(entry.topic),
  });
  return {
    ...admin,
    listTopics: async () => (await admin.listTopics()).filter(names.owns).map(names.inward),
    createTopics: (options) =>
      admin.createTopics({
        ...options,
        topics: options.topics.map((t) => ({ ...t, topic: names.outward(t.topic) })),
      }),
    deleteTopics: (options) => admin.deleteTopics({ ...options, topics: options.topics.map(names.outward) }),
    createPartitions: (options) =>
      admin.createPartitions({
        ...options,
        topicPartitions: options.topicPartitions.map((t) => ({ ...t, topic: names.outward(t.topic) })),
      }),
    fetchTopicMetadata: async (options) => {
      const metadata = await admin.fetchTopicMetadata(
        options && { topics: options.topics.map(names.outward) },
      );
      const topics = options ? metadata.topics : metadata.topics.filter((t) => names.owns(t.name));
      return { topics: topics.map((t) => ({ ...t, name: names.inward(t.name) })) };
    },
    fetchOffsets: async (options) => {
      const offsets = await admin.fetchOffsets({
        ...options,
        groupId: names.outward(options.groupId),
        topics: options.topics?.map(names.outward),
      });
      return offsets.map(inwardTopic);
    },
    fetchTopicOffsets: (topic) => admin.fetchTopicOffsets(names.outward(topic)),
    fetchTopicOffsetsByTimestamp: (topic, timestamp) =>
      admin.fetchTopicOffsetsByTimestamp(names.outward(topic), timestamp),
    setOffsets: (options) =>
      admin.setOffsets({
        ...options,
        groupId: names.outward(options.groupId),
        topic: names.outward(options.topic),
      }),
    resetOffsets: (options) =>
      admin.resetOffsets({
        ...options,
        groupId: names.outward(options.groupId),
        topic: names.outward(options.topic),
      }),
    describeConfigs: async (configs) => {
      const answer = await admin.describeConfigs({
        ...configs,
        resources: outwardResources(configs.resources, names),
      });
      return {
        ...answer,
        resources: answer.resources.map((resource) => ({
          ...resource,
          resourceName: names.inward(resource.resourceName),
        })),
      };
    },
    alterConfigs: (configs) =>
      admin.alterConfigs({ ...configs, resources: outwardResources(configs.resources, names) }),
    listGroups: async () => {
      const { groups } = await admin.listGroups();
      return {
        groups: groups
          .filter((g) => names.owns(g.groupId))
          .map((g) => ({ ...g, groupId: names.inward(g.groupId) })),
      };
    },
    deleteGroups: async (groupIds) =>
      (await admin.deleteGroups(groupIds.map(names.outward))).map((r) => ({
        ...r,
        groupId: names.inward(r.groupId),
      })),
    describeGroups: async (groupIds) => {
      const { groups } = await admin.describeGroups(groupIds.map(names.outward));
      return { groups: groups.map((g) => ({ ...g, groupId: names.inward(g.groupId) })) };
    },
    deleteTopicRecords: (options) =>
      admin.deleteTopicRecords({ ...options, topic: names.outward(options.topic) }),
  };
}
