import {
  consumerGroup,
  deadLetterTopic,
  retryConsumerGroup,
  retryTopic,
  TOPICS,
  type BaseTopic,
} from './topics';

/**
 * What each service produces through its outbox and consumes with `@EventPattern` handlers: the one
 * source of the per-service Kafka ACLs (architecture.md §3: every service writes only the topics it owns).
 * Read by the security integration test, which grants exactly these on a real broker, and by the spec
 * that keeps docs/deploy-kubernetes.md and the code in step with it. auth and the simulator use no Kafka.
 */
export const KAFKA_SERVICE_TOPICS = {
  order: { produces: [TOPICS.orders], consumes: [TOPICS.invoiceRequests, TOPICS.invoices] },
  invoice: { produces: [TOPICS.invoices, TOPICS.taxCommands], consumes: [TOPICS.orders, TOPICS.taxEvents] },
  'tax-bridge': { produces: [TOPICS.taxEvents], consumes: [TOPICS.taxCommands] },
  reconciliation: {
    produces: [TOPICS.recon],
    consumes: [TOPICS.orders, TOPICS.invoices, TOPICS.taxEvents],
  },
} as const satisfies Record<string, { produces: readonly BaseTopic[]; consumes: readonly BaseTopic[] }>;

export type KafkaService = keyof typeof KAFKA_SERVICE_TOPICS;

export interface KafkaServiceAcls {
  service: KafkaService;
  /** The SASL user, certificate CN (mapped) or token subject the service connects as. */
  principal: string;
  /** Its outbox topics, plus `.retry` and `.dlq` of what it consumes (the consumer runner writes those). */
  writes: readonly string[];
  /** What it consumes and the `.retry` companions. */
  reads: readonly string[];
  /** Its consumer groups: one per consumed topic and one per `.retry` topic. */
  groups: readonly string[];
}

/** The principal a service's credentials name: its default client id. */
export const kafkaPrincipal = (service: string): string => `fapiao-${service}`;

/**
 * The ACLs of every service on the cluster; `prefix` is the release's KAFKA_PREFIX (kafka.prefix in the
 * chart), which the services put before every topic and group name they use, so the resources are
 * `prefix` + the contracts' names.
 */
export function kafkaAcls(prefix = ''): KafkaServiceAcls[] {
  const named = (names: string[]) => names.map((name) => `${prefix}${name}`);
  return Object.entries(KAFKA_SERVICE_TOPICS).map(([service, { produces, consumes }]) => ({
    service: service as KafkaService,
    principal: kafkaPrincipal(service),
    writes: named([...produces, ...consumes.flatMap((topic) => [retryTopic(topic), deadLetterTopic(topic)])]),
    reads: named(consumes.flatMap((topic) => [topic, retryTopic(topic)])),
    groups: named(
      consumes.flatMap((topic) => {
        const group = consumerGroup(service, topic);
        return [group, retryConsumerGroup(group)];
      }),
    ),
  }));
}

export const KAFKA_ACLS: readonly KafkaServiceAcls[] = kafkaAcls();

/** One line of the ACL list: a principal may do `operation` on these resources (literal names). */
export interface KafkaAclRow {
  service: KafkaService;
  principal: string;
  operation: 'Write' | 'Read';
  resourceType: 'topic' | 'group';
  names: readonly string[];
}

export function kafkaAclRows(acls: readonly KafkaServiceAcls[] = KAFKA_ACLS): KafkaAclRow[] {
  return acls.flatMap(({ service, principal, writes, reads, groups }) =>
    (
      [
        { service, principal, operation: 'Write', resourceType: 'topic', names: writes },
        { service, principal, operation: 'Read', resourceType: 'topic', names: reads },
        { service, principal, operation: 'Read', resourceType: 'group', names: groups },
      ] as const
    ).filter((row) => row.names.length > 0),
  );
}
