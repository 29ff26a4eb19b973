import { KAFKA_SERVICE_TOPICS, kafkaAcls, type KafkaService } from '@fapiao/contracts';
import { kafkaNamesUsedBy } from './kafka-names.test-kit';

const SERVICES = Object.keys(KAFKA_SERVICE_TOPICS) as KafkaService[];
const BROKERS = { KAFKA_BROKERS: 'k:9092' };

describe('KAFKA_PREFIX: every topic and consumer group a service uses on the cluster', () => {
  test.each(SERVICES)('%s: carries the prefix, and is exactly what its ACLs grant', async (service) => {
    const prefix = 'team-a.';
    const used = await kafkaNamesUsedBy(service, { ...BROKERS, KAFKA_PREFIX: prefix });
    const names = [...used.topics, ...used.groups];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !name.startsWith(`${prefix}fapiao`))).toEqual([]);
    // What the service's own code reads, writes and joins is what kafkaAcls(prefix) grants it.
    const acl = kafkaAcls(prefix).find((entry) => entry.service === service);
    if (!acl) throw new Error(`${service} has no ACLs`);
    expect([...used.groups].sort()).toEqual([...acl.groups].sort());
    const serviceTopics = [...used.topics].filter((topic) => [...acl.reads, ...acl.writes].includes(topic));
    expect(new Set(serviceTopics)).toEqual(new Set([...acl.reads, ...acl.writes]));
    // Dead letters name the topic they came from as the contracts do: a redrive re-prefixes it on the way out.
    expect(new Set(used.deadLetterOrigins)).toEqual(
      new Set(acl.reads.map((topic) => topic.slice(prefix.length))),
    );
  });

  test.each(SERVICES)('%s: without a prefix, the contracts’ names as they are', async (service) => {
    const used = await kafkaNamesUsedBy(service, BROKERS);
    const acl = kafkaAcls().find((entry) => entry.service === service);
    if (!acl) throw new Error(`${service} has no ACLs`);
    expect([...used.groups].sort()).toEqual([...acl.groups].sort());
    expect([...used.topics].every((name) => name.startsWith('fapiao.'))).toBe(true);
  });

  it('refuses a prefix that cannot be part of a topic name, naming the variable', async () => {
    await expect(kafkaNamesUsedBy('order', { ...BROKERS, KAFKA_PREFIX: 'team a/' })).rejects.toThrow(
      /KAFKA_PREFIX/,
    );
  });
});
