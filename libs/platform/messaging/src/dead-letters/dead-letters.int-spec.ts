/**
 * Dead letters against the real MariaDB and Apache Kafka, in process: the consumer runner records what it
 * dead-letters, an operator redrives it once its cause is fixed, and the inbox keeps it exactly-once.
 */
import { Controller, Global, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  consumerGroup,
  deadLetterTopic,
  DomainError,
  HEADERS,
  OrderCancelled,
  retryTopic,
  TOPICS,
  type Envelope,
} from '@fapiao/contracts';
import { databaseConfig, ServiceConfigModule } from '@fapiao/platform/config';
import { ErrorFilter } from '@fapiao/platform/http';
import { migrate, PersistenceModule, UnitOfWork } from '@fapiao/platform/persistence';
import { dropDatabase, produceRaw, readTopic } from '@fapiao/testing';
import { KafkaConsumerServer } from '../consumer/kafka-consumer.server';
import { onMessage } from '../consumer/message-pattern';
import { MessagingModule } from '../messaging.module';
import { OutboxWriter } from '../outbox/outbox-writer';
import { MESSAGING_SCHEMA } from '../schema';
import { DeadLetterStore } from './dead-letter.store';

const suffix = randomUUID().slice(0, 8);
const service = { name: `it-dlq-${suffix}`, defaultPort: 0, defaultDatabase: `it_dlq_${suffix}` };
const group = consumerGroup(service.name, TOPICS.orders);

class EffectsTable1763700009998 implements MigrationInterface {
  name = 'EffectsTable1763700009998';
  async up(runner: QueryRunner) {
    await runner.query(
      'CREATE TABLE effects (seq BIGINT AUTO_INCREMENT PRIMARY KEY, order_id CHAR(36) NOT NULL)',
    );
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE effects');
  }
}
const schema = {
  entities: MESSAGING_SCHEMA.entities,
  migrations: [...MESSAGING_SCHEMA.migrations, EffectsTable1763700009998],
};

/** Orders whose cause is not fixed yet: their messages are poison (like a tenant auth does not know yet). */
const broken = new Set<string>();

@Controller()
class TestHandler {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  @EventPattern(onMessage(OrderCancelled))
  async handle(@Payload() envelope: Envelope<{ orderId: string }>) {
    const { orderId } = envelope.payload;
    await this.unitOfWork
      .transactional('test effect')
      .query('INSERT INTO effects (order_id) VALUES (?)', [orderId]);
    if (broken.has(orderId)) throw new DomainError('validation', 'TEST.NOT_YET', 'not fixed yet', 'orderId');
  }
}

@Global()
@Module({
  imports: [
    ServiceConfigModule.forService(service, { database: true, kafka: true }),
    PersistenceModule.forRoot(schema),
    MessagingModule,
  ],
  controllers: [TestHandler],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
class TestModule {}

jest.setTimeout(90_000);

describe('dead letters', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let store: DeadLetterStore;
  const saved = { ...process.env };
  const operator = { clientId: 'ops-client', tenantId: 'ops-tenant' };

  const until = async (check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met');
  };
  const effects = async (orderId: string) =>
    Number(
      (
        (await dataSource.query('SELECT COUNT(*) AS n FROM effects WHERE order_id = ?', [orderId])) as {
          n: number;
        }[]
      )[0].n,
    );
  const inboxed = async (messageId: string) =>
    Number(
      (
        (await dataSource.query(
          'SELECT COUNT(*) AS n FROM inbox_messages WHERE consumer_group = ? AND message_id = ?',
          [group, messageId],
        )) as { n: number }[]
      )[0].n,
    );
  const publish = (orderId: string, tenantId = randomUUID()) =>
    app
      .get(UnitOfWork)
      .run(() =>
        app.get(OutboxWriter).append(OrderCancelled, { tenantId, key: orderId, payload: { orderId } }),
      );
  const deadLettersOf = (messageId: string) =>
    dataSource.query('SELECT * FROM dead_letters WHERE message_id = ? ORDER BY id', [messageId]) as Promise<
      { id: string; state: string; error_code: string; source_topic: string; tenant_id: string }[]
    >;
  /** A message of ours that is handled (an effect): what comes after it on the same key has been read. */
  const handledMarker = async () => {
    const marker = randomUUID();
    await publish(marker);
    await until(async () => (await effects(marker)) === 1);
  };

  beforeAll(async () => {
    Object.assign(process.env, {
      DB_NAME: service.defaultDatabase,
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      CONSUMER_LOCAL_RETRIES: '0',
      CONSUMER_RETRY_ROUNDS: '0',
      CONSUMER_RETRY_DELAY_MS: '100',
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    await migrate(databaseConfig(service).read(), schema);
    app = await NestFactory.create(TestModule, { logger: false });
    app.connectMicroservice({ strategy: app.get(KafkaConsumerServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
    dataSource = app.get(DataSource);
    store = app.get(DeadLetterStore);
    const server = app.get(KafkaConsumerServer);
    await until(async () => Object.values(server.states()).every((state) => state === 'running'));
  });

  afterAll(async () => {
    await app?.get(KafkaConsumerServer).close();
    await app?.close();
    await dropDatabase(databaseConfig(service).read());
    process.env = saved;
  });

  it('records a dead letter with its envelope, code and delivery, not in the inbox, and redrives it once fixed', async () => {
    const orderId = randomUUID();
    const tenantId = randomUUID();
    broken.add(orderId);
    const envelope = await publish(orderId, tenantId);
    await until(async () => (await deadLettersOf(envelope.id)).length === 1);
    const [row] = await deadLettersOf(envelope.id);
    expect(row).toMatchObject({
      state: 'DEAD',
      error_code: 'TEST.NOT_YET',
      source_topic: TOPICS.orders,
      tenant_id: tenantId,
    });
    await readTopic(deadLetterTopic(TOPICS.orders), (seen) => seen.some((m) => m.key === orderId));
    expect(await effects(orderId)).toBe(0); // rolled back with its inbox row
    expect(await inboxed(envelope.id)).toBe(0);

    // A dry run answers what would go and changes nothing.
    const dry = await store.redrive({ tenantId }, 10, operator, true);
    expect(dry.items.map((item) => item.id)).toEqual([row.id]);
    expect((await deadLettersOf(envelope.id))[0].state).toBe('DEAD');

    broken.delete(orderId); // the cause is fixed
    const { redrive, items } = await store.redrive({ tenantId }, 10, operator, false);
    expect(items.map((item) => item.id)).toEqual([row.id]);
    await until(async () => (await effects(orderId)) === 1);
    expect(await inboxed(envelope.id)).toBe(1); // handled under its own id

    const [audit] = (await dataSource.query('SELECT * FROM dead_letter_redrives WHERE id = ?', [
      redrive?.id,
    ])) as { client_id: string; client_tenant_id: string; dead_letter_ids: string; count: number }[];
    expect(audit).toMatchObject({ client_id: 'ops-client', client_tenant_id: 'ops-tenant', count: 1 });
    expect(JSON.parse(audit.dead_letter_ids)).toEqual([row.id]);
    expect((await deadLettersOf(envelope.id))[0]).toMatchObject({ state: 'REDRIVEN' });

    // A second redrive finds nothing waiting.
    expect((await store.redrive({ tenantId }, 10, operator, false)).items).toEqual([]);
    await handledMarker();
    expect(await effects(orderId)).toBe(1);
  });

  it('skips, by the inbox, the redrive of a message that was in fact processed', async () => {
    const orderId = randomUUID();
    const tenantId = randomUUID();
    const envelope = await publish(orderId, tenantId);
    await until(async () => (await effects(orderId)) === 1);
    // Its dead letter, as if a commit had been reported failed after it succeeded.
    await store.record({
      consumerGroup: group,
      topic: TOPICS.orders,
      sourceTopic: TOPICS.orders,
      partition: 0,
      offset: '999999999',
      key: orderId,
      value: JSON.stringify(envelope),
      headers: { [HEADERS.type]: envelope.type, [HEADERS.version]: String(envelope.version) },
      errorCode: 'HANDLER.FAILED',
      errorReason: 'connection lost during commit',
    });
    const { items } = await store.redrive({ tenantId }, 10, operator, false);
    expect(items).toHaveLength(1);
    await until(async () => {
      const [{ n }] = (await dataSource.query(
        'SELECT COUNT(*) AS n FROM outbox_messages WHERE topic = ? AND sent_at IS NULL',
        [retryTopic(TOPICS.orders)],
      )) as { n: number }[];
      return Number(n) === 0;
    });
    await new Promise((r) => setTimeout(r, 1_500)); // the retry consumer has read it by now
    expect(await effects(orderId)).toBe(1);
  });

  it('records a delivery once however often it is dead-lettered, and refuses to redrive what is no envelope', async () => {
    const input = {
      consumerGroup: group,
      topic: TOPICS.orders,
      sourceTopic: TOPICS.orders,
      partition: 1,
      offset: String(Date.now()),
      key: 'garbage',
      value: 'not json',
      headers: {},
      errorCode: 'MESSAGE.NOT_JSON',
      errorReason: 'the message value is not JSON',
    };
    await store.record(input);
    await store.record(input);
    const rows = (await dataSource.query('SELECT id, message_id FROM dead_letters WHERE source_offset = ?', [
      input.offset,
    ])) as { id: string; message_id: string | null }[];
    expect(rows).toEqual([{ id: expect.any(String), message_id: null }]);
    const { items } = await store.redrive({ ids: [rows[0].id] }, 10, operator, false);
    expect(items).toEqual([]);
  });

  it('ignores a redriven copy on the retry topic that is meant for another consumer group', async () => {
    const orderId = randomUUID();
    const envelope = {
      id: randomUUID(),
      type: OrderCancelled.type,
      version: OrderCancelled.version,
      occurredAt: new Date().toISOString(),
      tenantId: randomUUID(),
      key: orderId,
      causationId: null,
      correlationId: randomUUID(),
      payload: { orderId },
    };
    await produceRaw(retryTopic(TOPICS.orders), [
      {
        key: orderId,
        value: JSON.stringify(envelope),
        headers: {
          [HEADERS.type]: envelope.type,
          [HEADERS.version]: String(envelope.version),
          [HEADERS.redriveGroup]: 'fapiao-someone-else.fapiao.orders.v1',
        },
      },
    ]);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await effects(orderId)).toBe(0);
    expect(await inboxed(envelope.id)).toBe(0);
  });
});
