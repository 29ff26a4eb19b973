import type { Admin } from 'kafkajs';

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  retentionMs: number;
  deadLetterRetentionMs: number;
}

export interface TopicsOutcome {
  created: string[];
  /** Topics that got more partitions, with the count they had. */
  grown: { topic: string; from: number }[];
  /** Topics with more partitions than asked: kept, since Kafka cannot take partitions away. */
  notShrunk: { topic: string; has: number }[];
  /** Existing topics whose retention, cleanup policy or min.insync.replicas were brought to the settings. */
  reconfigured: string[];
}

/** kafkajs's ConfigResourceTypes.TOPIC and ConfigSource.DYNAMIC_TOPIC_CONFIG (const enums in its types). */
const RESOURCE_TOPIC = 2;
const DYNAMIC_TOPIC_CONFIG = 1;

/** The configs a topic gets: the same for every cluster, so none relies on broker defaults. */
export function topicConfigs(topic: string, settings: TopicSettings): { name: string; value: string }[] {
  const retention = topic.endsWith('.dlq') ? settings.deadLetterRetentionMs : settings.retentionMs;
  return [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: String(retention) },
    { name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) },
  ];
}

/**
 * Brings `topics` to the settings: creates the missing ones, grows the partitions of existing ones (never
 * shrinks: Kafka cannot, and a key's partition would move anyway), and sets their configs where they
 * differ. AlterConfigs replaces a topic's whole dynamic config, so the other dynamic entries a platform
 * team set (e.g. max.message.bytes) are sent along unchanged.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  settings: TopicSettings,
): Promise<TopicsOutcome> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  const present = topics.filter((topic) => existing.has(topic));
  const outcome: TopicsOutcome = { created: missing, grown: [], notShrunk: [], reconfigured: [] };
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: settings.partitions,
        replicationFactor: settings.replicationFactor,
        configEntries: topicConfigs(topic, settings),
      })),
    });
  }
  if (present.length === 0) return outcome;

  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present });
  for (const { name, partitions } of metadata) {
    if (partitions.length < settings.partitions) outcome.grown.push({ topic: name, from: partitions.length });
    else if (partitions.length > settings.partitions)
      outcome.notShrunk.push({ topic: name, has: partitions.length });
  }
  if (outcome.grown.length > 0) {
    await admin.createPartitions({
      topicPartitions: outcome.grown.map(({ topic }) => ({ topic, count: settings.partitions })),
    });
  }

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({ type: RESOURCE_TOPIC, name })),
  });
  const alter: { type: number; name: string; configEntries: { name: string; value: string }[] }[] = [];
  for (const resource of described.resources) {
    const wanted = topicConfigs(resource.resourceName, settings);
    const current = new Map(resource.configEntries.map((entry) => [entry.configName, entry]));
    const differs = wanted.some(({ name, value }) => current.get(name)?.configValue !== value);
    if (!differs) continue;
    const ours = new Set(wanted.map(({ name }) => name));
    const kept = resource.configEntries
      .filter((entry) => entry.configSource === DYNAMIC_TOPIC_CONFIG && !ours.has(entry.configName))
      .map((entry) => ({ name: entry.configName, value: entry.configValue }));
    alter.push({ type: RESOURCE_TOPIC, name: resource.resourceName, configEntries: [...kept, ...wanted] });
    outcome.reconfigured.push(resource.resourceName);
  }
  if (alter.length > 0) await admin.alterConfigs({ validateOnly: false, resources: alter as never });
  return outcome;
}
