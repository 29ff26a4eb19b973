import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KAFKA_ACLS,
  KAFKA_SERVICE_TOPICS,
  kafkaAcls,
  kafkaAclRows,
  kafkaPrincipal,
  type KafkaService,
} from './kafka-acls';
import * as messages from './messages';
import type { MessageContract } from './messages';

const ROOT = join(__dirname, '../../..');
const DOC = 'docs/deploy-kubernetes.md';
/** Apps without a Kafka client (PlatformModule.forService({ kafka: false })). */
const WITHOUT_KAFKA = ['auth', 'ops-console', 'tax-authority-sim'];

// What docs/deploy-kubernetes.md must show, rendered from the data.
/** The Markdown table of docs/deploy-kubernetes.md (the doc is checked against it, cell by cell). */
function renderKafkaAclTable(rows = kafkaAclRows()): string {
  const code = (name: string) => `\`${name}\``;
  return [
    '| service | principal | operation | resource | names (literal) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.service} | ${code(`User:${row.principal}`)} | ${row.operation} | ${row.resourceType} | ${row.names.map(code).join(', ')} |`,
    ),
  ].join('\n');
}

/** `kafka-acls.sh` commands granting the table, as docs/deploy-kubernetes.md shows them. */
function renderKafkaAclCommands(rows = kafkaAclRows()): string {
  return rows
    .map((row) =>
      [
        `kafka-acls.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config admin.properties --add`,
        `  --allow-principal User:${row.principal} --operation ${row.operation}`,
        ...row.names.map((name) => `  --${row.resourceType} ${name}`),
      ].join(' \\\n'),
    )
    .join('\n');
}

/** A Strimzi KafkaUser (SCRAM-SHA-512, simple authorization) for one service. */
function renderStrimziKafkaUser(service: KafkaService, cluster = 'my-cluster'): string {
  const rows = kafkaAclRows().filter((row) => row.service === service);
  return [
    'apiVersion: kafka.strimzi.io/v1beta2',
    'kind: KafkaUser',
    'metadata:',
    `  name: ${kafkaPrincipal(service)}`,
    '  labels:',
    `    strimzi.io/cluster: ${cluster}`,
    'spec:',
    '  authentication:',
    '    type: scram-sha-512',
    '  authorization:',
    '    type: simple',
    '    acls:',
    ...rows.flatMap((row) =>
      row.names.flatMap((name) => [
        `      - resource: { type: ${row.resourceType}, name: ${name}, patternType: literal }`,
        `        operations: [${row.operation}]`,
      ]),
    ),
  ].join('\n');
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The topics an app's code consumes (`onMessage(Contract)`) and produces (`outbox.append(Contract, …)`). */
function topicsInCode(app: string): { produces: string[]; consumes: string[] } {
  const code = sources(join(ROOT, 'apps', app, 'src'))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const topicsOf = (pattern: RegExp) => {
    const topics = [...code.matchAll(pattern)].map(([, name]) => {
      const contract = (messages as Record<string, unknown>)[name as string] as MessageContract | undefined;
      if (!contract?.topic) throw new Error(`${app}: ${name} is not a message contract`);
      return contract.topic;
    });
    return [...new Set(topics)].sort();
  };
  return {
    produces: topicsOf(/\.append\(\s*(\w+)\s*,/g),
    consumes: topicsOf(/onMessage\((\w+)\)/g),
  };
}

/** The cells of the Markdown table that follows `marker`, header and separator left out. */
function tableAfter(text: string, marker: string): string[][] {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${DOC} has no ${marker}`);
  const lines = text.slice(start + marker.length).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  return lines.slice(first + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

/** The fenced code block that follows `marker`. */
function blockAfter(text: string, marker: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${DOC} has no ${marker}`);
  const block = /```\w*\n([\s\S]*?)\n```/.exec(text.slice(start));
  if (!block) throw new Error(`${DOC}: no code block after ${marker}`);
  return block[1] as string;
}

/** Fails with the text the doc should hold, ready to paste. */
function expectInStep(actual: unknown, expected: unknown, generated: string, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `${DOC}: the ${what} is out of step with libs/contracts/src/kafka-acls.ts; it should read:\n\n${generated}\n`,
    );
  }
}

describe('Kafka ACLs per service', () => {
  it('name every topic and group with the release’s prefix, the same rows otherwise', () => {
    const prefixed = kafkaAcls('team-a.');
    expect(prefixed.map(({ service, principal }) => [service, principal])).toEqual(
      KAFKA_ACLS.map(({ service, principal }) => [service, principal]),
    );
    prefixed.forEach((acl, index) => {
      for (const key of ['writes', 'reads', 'groups'] as const) {
        expect(acl[key]).toEqual(KAFKA_ACLS[index]?.[key].map((name) => `team-a.${name}`));
      }
    });
  });

  it('are what the code produces and consumes, for every app that uses Kafka', () => {
    const apps = readdirSync(join(ROOT, 'apps')).filter((app) => app !== 'e2e');
    expect([...Object.keys(KAFKA_SERVICE_TOPICS), ...WITHOUT_KAFKA].sort()).toEqual(apps.sort());
    for (const [service, { produces, consumes }] of Object.entries(KAFKA_SERVICE_TOPICS)) {
      expect({ service, ...topicsInCode(service) }).toEqual({
        service,
        produces: [...produces].sort(),
        consumes: [...consumes].sort(),
      });
    }
    for (const app of WITHOUT_KAFKA) expect(topicsInCode(app)).toEqual({ produces: [], consumes: [] });
  });

  it('give every topic one owner and let the consumer runner write the companions of what it reads', () => {
    const owners = KAFKA_ACLS.flatMap(({ service, writes }) =>
      writes.filter((topic) => !/\.(retry|dlq)$/.test(topic)).map((topic) => [topic, service]),
    );
    expect(new Set(owners.map(([topic]) => topic)).size).toBe(owners.length);
    const order = KAFKA_ACLS.find(({ service }) => service === 'order');
    expect(order).toEqual({
      service: 'order',
      principal: 'fapiao-order',
      writes: [
        'fapiao.orders.v1',
        'fapiao.invoice-requests.v1.retry',
        'fapiao.invoice-requests.v1.dlq',
        'fapiao.invoices.v1.retry',
        'fapiao.invoices.v1.dlq',
      ],
      reads: [
        'fapiao.invoice-requests.v1',
        'fapiao.invoice-requests.v1.retry',
        'fapiao.invoices.v1',
        'fapiao.invoices.v1.retry',
      ],
      groups: [
        'fapiao-order.fapiao.invoice-requests.v1',
        'fapiao-order.fapiao.invoice-requests.v1.retry',
        'fapiao-order.fapiao.invoices.v1',
        'fapiao-order.fapiao.invoices.v1.retry',
      ],
    });
  });

  describe(`and ${DOC}`, () => {
    const doc = readFileSync(join(ROOT, DOC), 'utf8');

    it('lists them in its table', () => {
      const expected = renderKafkaAclTable()
        .split('\n')
        .slice(2)
        .map((line) =>
          line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim()),
        );
      const actual = tableAfter(doc, '<!-- kafka-acls:table -->');
      expectInStep(actual, expected, renderKafkaAclTable(), 'ACL table');
      expect(actual).toHaveLength(kafkaAclRows().length);
    });

    it('grants them with its kafka-acls.sh commands', () => {
      const expected = renderKafkaAclCommands();
      expectInStep(
        blockAfter(doc, '<!-- kafka-acls:commands -->'),
        expected,
        expected,
        'kafka-acls.sh block',
      );
    });

    it('shows them in its Strimzi KafkaUser', () => {
      const expected = renderStrimziKafkaUser('tax-bridge');
      expectInStep(blockAfter(doc, '<!-- kafka-acls:strimzi -->'), expected, expected, 'Strimzi KafkaUser');
    });
  });
});
