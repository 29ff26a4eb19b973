/**
 * The messaging runtime against the real MariaDB and Apache Kafka, in process: outbox → relay → Kafka →
 * consumer transport → inbox, with redelivery, transient failures and poison messages.
 */
import { Controller, Global, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  HEADERS,
  OrderCancelled,
  TOPICS,
  consumerGroup,
  deadLetterTopic,
  retryConsumerGroup,
  type BaseTopic,
  type Envelope,
} from '@fapiao/contracts';
import { databaseConfig, ServiceConfigModule } from '@fapiao/platform/config';
import { ErrorFilter } from '@fapiao/platform/http';
import { migrate, PersistenceModule, UnitOfWork } from '@fapiao/platform/persistence';
import { dropDatabase, kafkaControl, produceRaw, readTopic, testKafka } from '@fapiao/testing';
import { KafkaConsumerServer } from './consumer/kafka-consumer.server';
import { MessageContext } from './consumer/message-context';
import { onMessage, prefetch } from './consumer/message-pattern';
import { MessagingModule } from './messaging.module';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { MessagingPurge } from './retention/messaging-purge';
import { MESSAGING_SCHEMA } from './schema';

const suffix = randomUUID().slice(0, 8);
const service = { name: `it-msg-${suffix}`, defaultPort: 0, defaultDatabase: `it_msg_${suffix}` };

class EffectsTable1763700009999 implements MigrationInterface {
  name = 'EffectsTable1763700009999';
  async up(runner: QueryRunner) {
    await runner.query(
      'CREATE TABLE effects (seq BIGINT AUTO_INCREMENT PRIMARY KEY, order_id CHAR(36) NOT NULL, attempt INT NOT NULL, at DATETIME(3) NOT NULL)',
    );
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE effects');
  }
}
const schema = {
  entities: MESSAGING_SCHEMA.entities,
  migrations: [...MESSAGING_SCHEMA.migrations, EffectsTable1763700009999],
};

/** What the test wants the handler to do per order id. */
const behaviour = new Map<string, { failTimes?: number; poison?: boolean; tooLong?: boolean }>();
const attempts = new Map<string, number>();
/** Per order id: where its handler's read came from, each time it ran. */
const readFrom = new Map<string, ('batch' | 'own read')[]>();
/** The order ids each prefetch call was given. */
const prefetched: string[][] = [];
const LOADED_AHEAD = Symbol('loaded ahead');

@Controller()
class TestHandler {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  @EventPattern(prefetch(OrderCancelled))
  async loadAhead(@Payload() envelopes: Envelope<{ orderId: string }>[]) {
    const ids = envelopes.map((envelope) => envelope.payload.orderId);
    prefetched.push(ids);
    // In the batch's transaction, before any of its handlers.
    this.unitOfWork.transactional('test prefetch');
    this.unitOfWork.remember(
      LOADED_AHEAD,
      ids.map((id) => [id, 'batch'] as const),
    );
  }

  @EventPattern(onMessage(OrderCancelled))
  async handle(@Payload() envelope: Envelope<{ orderId: string }>, @Ctx() context: MessageContext) {
    const { orderId } = envelope.payload;
    const plan = behaviour.get(orderId);
    if (!plan) return;
    attempts.set(orderId, (attempts.get(orderId) ?? 0) + 1);
    const source = this.unitOfWork.recall<'batch'>(LOADED_AHEAD, orderId) ?? 'own read';
    readFrom.set(orderId, [...(readFrom.get(orderId) ?? []), source]);
    // The effect is written first: a failure after it must roll it back with the inbox row.
    const manager = this.unitOfWork.transactional('test effect');
    await manager.query('INSERT INTO effects (order_id, attempt, at) VALUES (?, ?, NOW(3))', [
      orderId,
      context.attempt,
    ]);
    if (plan.tooLong)
      await manager.query('INSERT INTO effects (order_id, attempt, at) VALUES (?, ?, NOW(3))', [
        `${orderId}-x`,
        context.attempt,
      ]);
    if (plan.poison) throw new DomainError('validation', 'TEST.POISON', 'never valid', 'orderId');
    if ((plan.failTimes ?? 0) >= (attempts.get(orderId) ?? 0)) throw new Error('transient: database hiccup');
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
  // As PlatformModule does: hands handler errors back to the runner unchanged (Nest's default RPC filter
  // would replace a domain error by a generic one, and poison would look transient).
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
class TestModule {}

jest.setTimeout(90_000);

describe('messaging runtime', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  const saved = { ...process.env };

  const effects = async (orderId: string) =>
    (await dataSource.query('SELECT attempt FROM effects WHERE order_id = ?', [orderId])) as {
      attempt: number;
    }[];
  const until = async (check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met');
  };
  const publish = async (orderId: string, key = orderId) => {
    const writer = app.get(OutboxWriter);
    return app
      .get(UnitOfWork)
      .run(() => writer.append(OrderCancelled, { tenantId: randomUUID(), key, payload: { orderId } }));
  };
  /**
   * Publishes several messages while the topic is paused, so that the consumer fetches them at once when
   * it resumes: under one key (one partition's batch), or each under its own (spread over the partitions).
   */
  const publishAsOneBatch = async (
    plans: { failTimes?: number; poison?: boolean }[],
    ids = plans.map(() => randomUUID()),
    keys: 'one' | 'each' = 'one',
  ) => {
    const server = app.get(KafkaConsumerServer);
    const key = randomUUID();
    server.pause(TOPICS.orders);
    try {
      for (const [index, id] of ids.entries()) {
        behaviour.set(id, plans[index]);
        await publish(id, keys === 'one' ? key : id);
      }
      await until(async () => {
        const [{ unsent }] = await dataSource.query(
          'SELECT COUNT(*) AS unsent FROM outbox_messages WHERE sent_at IS NULL',
        );
        return Number(unsent) === 0;
      });
    } finally {
      server.resume(TOPICS.orders);
    }
    return ids;
  };
  const handledTogether = (spy: jest.SpyInstance, ids: string[]) =>
    spy.mock.calls.some(([work]: [{ envelope: { payload: { orderId: string } } }[]]) =>
      ids.every((id) => work.some((item) => item.envelope.payload.orderId === id)),
    );

  /** The test module with its consumers in their groups. */
  const startApp = async () => {
    const started = await NestFactory.create(TestModule, { logger: false });
    started.connectMicroservice({ strategy: started.get(KafkaConsumerServer) }, { inheritAppConfig: true });
    await started.startAllMicroservices();
    await started.init();
    const server = started.get(KafkaConsumerServer);
    await until(async () => Object.values(server.states()).every((state) => state === 'running'));
    return started;
  };
  let second: INestApplication | undefined;

  beforeAll(async () => {
    Object.assign(process.env, {
      DB_NAME: service.defaultDatabase,
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      CONSUMER_LOCAL_RETRIES: '1',
      CONSUMER_RETRY_ROUNDS: '2',
      CONSUMER_RETRY_DELAY_MS: '100',
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    await migrate(databaseConfig(service).read(), schema);
    app = await startApp();
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.get(KafkaConsumerServer).close();
    await app?.close();
    await second?.close();
    await dropDatabase(databaseConfig(service).read());
    process.env = saved;
  });

  it('delivers an outbox message once, and skips a redelivery of the same message id', async () => {
    const orderId = randomUUID();
    behaviour.set(orderId, {});
    const envelope = await publish(orderId);
    await until(async () => (await effects(orderId)).length === 1);
    const [row] = await dataSource.query('SELECT sent_at FROM outbox_messages WHERE id = ?', [envelope.id]);
    expect(row.sent_at).not.toBeNull();

    // Kafka redelivers (or a producer retries): same message id, new offset.
    await produceRaw(TOPICS.orders, [{ key: orderId, value: JSON.stringify(envelope) }]);
    const marker = randomUUID();
    behaviour.set(marker, {});
    await publish(marker); // behind the duplicate on the same partition order is not guaranteed; wait for both
    await until(async () => (await effects(marker)).length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await effects(orderId)).toHaveLength(1);
    expect(attempts.get(orderId)).toBe(1);
  });

  it("commits a partition's handled offsets within the commit interval, with no later message to carry them", async () => {
    // The first message's offset is committed with its batch; the second comes within the interval, and
    // nothing after it: its offset waits for the committer's timer.
    const [first, second] = [randomUUID(), randomUUID()];
    for (const orderId of [first, second]) {
      behaviour.set(orderId, {});
      await publish(orderId, first);
      await until(async () => (await effects(orderId)).length === 1);
    }
    const admin = testKafka().admin();
    await admin.connect();
    try {
      // Every message of the topic handled by now: the group's committed offsets reach the end of each partition.
      const ends = await admin.fetchTopicOffsets(TOPICS.orders);
      const caughtUp = async () => {
        const [{ partitions }] = await admin.fetchOffsets({
          groupId: consumerGroup(service.name, TOPICS.orders),
          topics: [TOPICS.orders],
        });
        return ends.every(
          ({ partition, high, low }) =>
            high === low || // nothing to commit
            partitions.some((p) => p.partition === partition && BigInt(p.offset) >= BigInt(high)),
        );
      };
      await until(caughtUp, 5_000);
    } finally {
      await admin.disconnect();
    }
  });

  it('retries a transient failure in place and through the retry topic, then commits once', async () => {
    const orderId = randomUUID();
    behaviour.set(orderId, { failTimes: 3 });
    await publish(orderId);
    await until(async () => (await effects(orderId)).length === 1);
    // 2 local attempts on the topic (1 retry), 2 more on the retry topic, the 4th succeeds; failures rolled back.
    expect(attempts.get(orderId)).toBe(4);
    expect((await effects(orderId))[0].attempt).toBe(4);
  });

  it('dead-letters a poison message with its code and reason, rolling back its effects', async () => {
    const orderId = randomUUID();
    behaviour.set(orderId, { poison: true });
    await publish(orderId);
    const dead = await readTopic(deadLetterTopic(TOPICS.orders), (seen) =>
      seen.some((m) => m.key === orderId),
    );
    const letter = dead.find((m) => m.key === orderId);
    expect(letter?.headers[HEADERS.errorCode]).toBe('TEST.POISON');
    expect(letter?.headers[HEADERS.error]).toBe('never valid');
    expect(await effects(orderId)).toHaveLength(0);
    expect(attempts.get(orderId)).toBe(1);
  });

  it('dead-letters at once a message whose effect the database refuses (a value too long)', async () => {
    const orderId = randomUUID();
    behaviour.set(orderId, { tooLong: true });
    await publish(orderId);
    const dead = await readTopic(deadLetterTopic(TOPICS.orders), (seen) =>
      seen.some((m) => m.key === orderId),
    );
    const letter = dead.find((m) => m.key === orderId);
    expect(letter?.headers[HEADERS.errorCode]).toBe('HANDLER.VALUE_REJECTED');
    expect(letter?.headers[HEADERS.error]).toMatch(/too long/i);
    // Not retried: the same statement would fail the same way.
    expect(attempts.get(orderId)).toBe(1);
    expect(await effects(orderId)).toHaveLength(0);
  });

  describe('in batches', () => {
    afterEach(() => jest.restoreAllMocks());

    it('handles a batch in one unit of work, in partition order', async () => {
      const together = jest.spyOn(app.get(KafkaConsumerServer) as never, 'handleTogether');
      const ids = await publishAsOneBatch([{}, {}, {}, {}, {}]);
      await until(async () => (await Promise.all(ids.map(effects))).every((rows) => rows.length === 1));
      expect(handledTogether(together, ids)).toBe(true);
      const rows = (await dataSource.query(
        'SELECT order_id FROM effects WHERE order_id IN (?) ORDER BY seq',
        [ids],
      )) as { order_id: string }[];
      expect(rows.map((row) => row.order_id)).toEqual(ids);
      for (const id of ids) expect(attempts.get(id)).toBe(1);
    });

    it("handles the chunks of a fetch's partitions in one unit of work", async () => {
      const together = jest.spyOn(app.get(KafkaConsumerServer) as never, 'handleTogether');
      const ids = await publishAsOneBatch([{}, {}, {}, {}, {}, {}, {}, {}], undefined, 'each');
      await until(async () => (await Promise.all(ids.map(effects))).every((rows) => rows.length === 1));
      const call = together.mock.calls.find(([work]: [{ envelope: { payload: { orderId: string } } }[]]) =>
        ids.every((id) => work.some((item) => item.envelope.payload.orderId === id)),
      ) as [{ partition: number }[]] | undefined;
      expect(call).toBeDefined();
      // Eight keys over the topic's partitions: all on one would be a 1 in 3^7 chance.
      expect(new Set(call?.[0].map((item) => item.partition)).size).toBeGreaterThan(1);
      for (const id of ids) expect(attempts.get(id)).toBe(1);
    });

    it("runs the types' prefetcher once per batch, before the handlers, which take what it loaded", async () => {
      const ids = await publishAsOneBatch([{}, {}, {}, {}]);
      await until(async () => (await Promise.all(ids.map(effects))).every((rows) => rows.length === 1));
      const call = prefetched.find((batch) => batch.includes(ids[0]));
      expect(call).toEqual(ids); // the whole batch, in partition order, in one call
      for (const id of ids) expect(readFrom.get(id)).toEqual(['batch']);
    });

    it('dead-letters a poison message in the middle of a batch alone; its neighbours commit once', async () => {
      const together = jest.spyOn(app.get(KafkaConsumerServer) as never, 'handleTogether');
      const [before, poison, after] = await publishAsOneBatch([{}, { poison: true }, {}]);
      const dead = await readTopic(deadLetterTopic(TOPICS.orders), (seen) =>
        seen.some((m) => m.value?.includes(poison)),
      );
      await until(async () => (await effects(after)).length === 1);
      expect(handledTogether(together, [before, poison, after])).toBe(true);
      expect(dead.filter((m) => m.value?.includes(poison))).toHaveLength(1);
      expect(dead.some((m) => m.value?.includes(before) || m.value?.includes(after))).toBe(false);
      expect(await effects(before)).toHaveLength(1);
      expect(await effects(poison)).toHaveLength(0);
      // The one before it ran in the failed batch (rolled back) and again on its own; the one after, alone.
      expect(attempts.get(before)).toBe(2);
      expect(attempts.get(after)).toBe(1);
      // Alone, nothing is loaded ahead: the handler reads for itself.
      expect(readFrom.get(before)).toEqual(['batch', 'own read']);
      expect(readFrom.get(after)).toEqual(['own read']);
    });

    it('re-delivers a batch whose offsets were not committed after its transaction, and the inbox skips it', async () => {
      const server = app.get(KafkaConsumerServer) as unknown as { acknowledge: (...args: unknown[]) => void };
      const acknowledge = server.acknowledge.bind(server);
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const ours = (payload: { batch: { messages: { value: Buffer | null }[] } }) =>
        payload.batch.messages.some((m) => ids.some((id) => m.value?.toString().includes(id)));
      let calls = 0;
      // The process dies between the batch's commit and its offset commit, once.
      jest.spyOn(server, 'acknowledge').mockImplementation((...args: unknown[]) => {
        if (ours(args[0] as never) && calls++ === 0) throw new Error('crashed before the offset commit');
        acknowledge(...args);
      });
      await publishAsOneBatch([{}, {}, {}], ids);
      await until(async () => calls >= 2, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      for (const id of ids) {
        expect(await effects(id)).toHaveLength(1);
        expect(attempts.get(id)).toBe(1);
      }
    });
  });

  describe('messages too large for the broker', () => {
    const topic = `it-msg-large-${suffix}`;
    beforeAll(async () => {
      const admin = testKafka().admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] },
            { topic: deadLetterTopic(topic as BaseTopic), numPartitions: 1 },
          ],
        });
      } finally {
        await admin.disconnect();
      }
    });

    it('refuses to write an envelope over the configured size, inside the business transaction', async () => {
      const writer = new OutboxWriter(app.get(UnitOfWork), { outboxMaxMessageBytes: 300 });
      const key = randomUUID();
      const appended = app
        .get(UnitOfWork)
        .run(() => writer.append(OrderCancelled, { tenantId: randomUUID(), key, payload: { orderId: key } }));
      await expect(appended).rejects.toMatchObject({ code: 'MESSAGE.TOO_LARGE' });
      const [{ n }] = await dataSource.query(
        'SELECT COUNT(*) AS n FROM outbox_messages WHERE message_key = ?',
        [key],
      );
      expect(Number(n)).toBe(0);
    });

    it('dead-letters a row the broker refuses without blocking the rows behind it', async () => {
      const key = randomUUID();
      const envelope = (n: number, padding: number) =>
        JSON.stringify({ id: `${key}-${n}`, type: 'Test', key, payload: { padding: 'x'.repeat(padding) } });
      const ids = [uuidv7(), uuidv7(), uuidv7()];
      const relay = app.get(OutboxRelay);
      await relay.stop();
      try {
        await dataSource.query(
          `INSERT INTO outbox_messages (id, topic, message_key, value, headers, created_at, sent_at)
           VALUES (?, ?, ?, ?, '{}', NOW(3), NULL), (?, ?, ?, ?, '{}', NOW(3), NULL), (?, ?, ?, ?, '{}', NOW(3), NULL)`,
          [ids[0], topic, key, envelope(1, 100), ids[1], topic, key, envelope(2, 50_000)].concat([
            ids[2],
            topic,
            key,
            envelope(3, 100),
          ]),
        );
        expect(await relay.drain()).toBe(3);
      } finally {
        relay.start();
      }
      const live = await readTopic(topic, (seen) => seen.length >= 2);
      expect(live.map((m) => JSON.parse(m.value ?? '{}').id)).toEqual([`${key}-1`, `${key}-3`]);
      const [letter] = await readTopic(deadLetterTopic(topic as BaseTopic), (seen) => seen.length >= 1);
      expect(letter.headers[HEADERS.errorCode]).toBe('MESSAGE.TOO_LARGE');
      expect(letter.headers[HEADERS.originalTopic]).toBe(topic);
      expect(JSON.parse(letter.value ?? '{}')).toMatchObject({ id: `${key}-2`, payload: null });
      const [{ unsent }] = await dataSource.query(
        'SELECT COUNT(*) AS unsent FROM outbox_messages WHERE message_key = ? AND sent_at IS NULL',
        [key],
      );
      expect(Number(unsent)).toBe(0);
    });
  });

  it('purges sent outbox rows, inbox rows and dead letters past their retention, and keeps the rest', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    const [oldInbox, newInbox, oldSent, oldUnsent] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await dataSource.query(
      'INSERT INTO inbox_messages (consumer_group, message_id, topic, processed_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)',
      ['purge-spec', oldInbox, 't', old, 'purge-spec', newInbox, 't', new Date()],
    );
    await dataSource.query(
      `INSERT INTO outbox_messages (id, topic, message_key, value, headers, created_at, sent_at)
       VALUES (?, 't', 'k', '{}', '{}', ?, ?), (?, 't', 'k', '{}', '{}', ?, NULL)`,
      [oldSent, old, old, oldUnsent, old],
    );
    const [oldLetter, newLetter] = [randomUUID(), randomUUID()];
    for (const [id, at, offset] of [
      [oldLetter, old, 1],
      [newLetter, new Date(), 2],
    ] as const) {
      await dataSource.query(
        `INSERT INTO dead_letters (id, consumer_group, topic, source_topic, source_partition, source_offset,
           error_code, error_reason, headers, value, dead_lettered_at, state)
         VALUES (?, 'purge-spec', 't', 't', 0, ?, 'TEST.POISON', 'r', '{}', '{}', ?, 'DEAD')`,
        [id, offset, at],
      );
    }
    // An unsent row is never purged, whatever its age; the relay, which would publish it, waits meanwhile.
    await app.get(OutboxRelay).stop();
    try {
      const purged = await app.get(MessagingPurge).purgeOnce();
      expect(purged.inbox).toBeGreaterThanOrEqual(1);
      expect(purged.outbox).toBeGreaterThanOrEqual(1);
      const inbox = (await dataSource.query(
        'SELECT message_id FROM inbox_messages WHERE consumer_group = ?',
        ['purge-spec'],
      )) as { message_id: string }[];
      expect(inbox.map((row) => row.message_id)).toEqual([newInbox]);
      const outbox = (await dataSource.query('SELECT id FROM outbox_messages WHERE id IN (?)', [
        [oldSent, oldUnsent],
      ])) as { id: string }[];
      expect(outbox.map((row) => row.id)).toEqual([oldUnsent]);
      expect(purged.deadLetters).toBeGreaterThanOrEqual(1);
      const letters = (await dataSource.query(
        "SELECT id FROM dead_letters WHERE consumer_group = 'purge-spec'",
      )) as { id: string }[];
      expect(letters.map((row) => row.id)).toEqual([newLetter]);
    } finally {
      await dataSource.query('DELETE FROM outbox_messages WHERE id = ?', [oldUnsent]);
      app.get(OutboxRelay).start();
    }
  });

  // The last two: each stops an app's consumers for good.
  it('commits what it handled when it closes, before leaving the group', async () => {
    const [id] = await publishAsOneBatch([{}]);
    await until(async () => (await effects(id)).length === 1);
    await app.get(KafkaConsumerServer).close();
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({
        groupId: consumerGroup(service.name, TOPICS.orders),
        topics: [TOPICS.orders],
      });
      // Every partition that has messages: committed up to its end (-1, nothing committed, elsewhere).
      const ends = (await admin.fetchTopicOffsets(TOPICS.orders)).filter(({ high }) => high !== '0');
      const committedOf = new Map(committed.partitions.map(({ partition, offset }) => [partition, offset]));
      expect(ends.map(({ partition }) => ({ partition, offset: committedOf.get(partition) }))).toEqual(
        ends.map(({ partition, high }) => ({ partition, offset: high })),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('closes within its time while the broker is away, and none of its consumers rejoins once it is back', async () => {
    second = await startApp();
    const group = consumerGroup(service.name, TOPICS.orders);
    const admin = testKafka().admin();
    const members = async () => {
      const { groups } = await admin.describeGroups([group, retryConsumerGroup(group)]);
      return groups.flatMap((described) => described.members.map(({ memberId }) => memberId));
    };
    await admin.connect();
    try {
      // The broker keeps these until their session times out, also across its restart.
      const before = await members();
      const broker = kafkaControl();
      await broker.down();
      try {
        const started = Date.now();
        await second.get(KafkaConsumerServer).close(1_000);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await broker.up();
      }
      // A consumer kafkajs restarted by itself after its crash would outlive close() and join again.
      for (const end = Date.now() + 8_000; Date.now() < end;) {
        expect((await members()).filter((member) => !before.includes(member))).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await admin.disconnect();
    }
  });
});
