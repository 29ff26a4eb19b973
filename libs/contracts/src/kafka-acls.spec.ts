import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KAFKA_ACLS,
  KAFKA_SERVICE_TOPICS,
  kafkaAclRows,
  renderKafkaAclCommands,
  renderKafkaAclTable,
  renderStrimziKafkaUser,
} from './kafka-acls';
import * as messages from './messages';
import type { MessageContract } from './messages';

const ROOT = join(__dirname, '../../..');
const DOC = 'docs/deploy-kubernetes.md';
/** Apps without a Kafka client (PlatformModule.forService({ kafka: false })). */
const WITHOUT_KAFKA = ['auth', 'tax-authority-sim'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The topics an app's code consumes (`onMessage(Contract)`) and produces (`outbox.append(m, Contract, …)`). */
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
    produces: topicsOf(/\.append\(\s*[\w.]+\s*,\s*(\w+)\s*,/g),
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
