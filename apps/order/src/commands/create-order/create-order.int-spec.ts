/**
 * Intake against the real MariaDB: requests arriving together share one transaction (group commit), which
 * reads their idempotency keys in one statement and writes them in one, and still answers each request as
 * if it ran alone — a key used before replays its order, the same key twice in a group is one order.
 */
import { randomUUID } from 'node:crypto';
import type { DomainError } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { GroupCommit, insertRows, isDuplicateEntry, UnitOfWork } from '@fapiao/platform/persistence';
import {
  createTestDatabase,
  fullScansOf,
  sampleOrder,
  statementsOf,
  type TestDatabase,
} from '@fapiao/testing';
import type { OrderConfig } from '../../order.config';
import { ORDER_SCHEMA } from '../../schema';
import { IdempotencyKeyEntity } from '../../infrastructure/idempotency-key.entity';
import { TypeOrmOrderRepository } from '../../infrastructure/typeorm-order.repository';
import { CreateOrderHandler, requestHash } from './create-order.handler';

jest.setTimeout(60_000);

const TENANT = randomUUID();

describe('CreateOrderHandler with group commit (MySQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  let orders: TypeOrmOrderRepository;
  let handler: CreateOrderHandler;

  beforeAll(async () => {
    db = await createTestDatabase(ORDER_SCHEMA, 'it_intake_');
    unitOfWork = new UnitOfWork(db.dataSource);
    orders = new TypeOrmOrderRepository(unitOfWork);
    handler = new CreateOrderHandler(
      orders,
      new OutboxWriter(unitOfWork, { outboxMaxMessageBytes: 1_000_000 }),
      new GroupCommit(unitOfWork),
      { idempotencyTtlHours: 48 } as OrderConfig,
    );
  });
  afterAll(() => db?.drop());

  const create = (idempotencyKey: string, externalId = idempotencyKey) =>
    handler.execute({
      tenantId: TENANT,
      sellerTaxId: '91440300708461136T',
      idempotencyKey,
      request: sampleOrder(externalId),
    });
  const keyStatements = (sent: readonly string[]) => ({
    reads: sent.filter((sql) => /^SELECT .* FROM idempotency_keys/.test(sql)).length,
    writes: sent.filter((sql) => sql.startsWith('INSERT INTO `idempotency_keys`')).length,
    transactions: sent.filter((sql) => sql === 'COMMIT').length,
  });

  it("reads a group's idempotency keys in one statement and writes them in one, at commit", async () => {
    let answers: Awaited<ReturnType<typeof create>>[] = [];
    const sent = await statementsOf(async () => {
      answers = await Promise.all(Array.from({ length: 12 }, () => create(`k-${randomUUID()}`)));
    });
    // The first request runs at once, alone; the eleven arriving meanwhile share the next transaction.
    expect(keyStatements(sent)).toEqual({ reads: 1, writes: 2, transactions: 2 });
    expect(new Set(answers.map(({ order }) => order.id)).size).toBe(12);
    expect(answers.every(({ replayed }) => !replayed)).toBe(true);
    const [{ n }] = (await db.dataSource.query('SELECT COUNT(*) AS n FROM orders WHERE id IN (?)', [
      answers.map(({ order }) => order.id),
    ])) as { n: string }[];
    expect(Number(n)).toBe(12);
  });

  it('answers each request of a group as if alone: a used key replays, the same key twice is one order', async () => {
    const used = `k-${randomUUID()}`;
    const first = await create(used);
    const twice = `k-${randomUUID()}`;
    const [lone, replay, reused, a, b, fresh] = await Promise.allSettled([
      create(`k-${randomUUID()}`), // runs at once; the others wait and share a group
      create(used),
      create(used, 'ERP-another-body'),
      create(twice),
      create(twice),
      create(`k-${randomUUID()}`),
    ]);
    const value = <T>(settled: PromiseSettledResult<T>) => {
      if (settled.status === 'rejected') throw settled.reason;
      return settled.value;
    };
    expect(value(lone).replayed).toBe(false);
    expect(value(replay)).toEqual({ order: first.order, replayed: true });
    expect(reused.status === 'rejected' && (reused.reason as DomainError).code).toBe(
      'ORDER.IDEMPOTENCY_KEY_REUSED',
    );
    expect(value(a).replayed).toBe(false);
    expect(value(b)).toEqual({ order: value(a).order, replayed: true });
    expect(value(fresh).replayed).toBe(false);
    const [{ n }] = (await db.dataSource.query(
      'SELECT COUNT(*) AS n FROM idempotency_keys WHERE tenant_id = ? AND idempotency_key IN (?)',
      [TENANT, [used, twice]],
    )) as { n: string }[];
    expect(Number(n)).toBe(2);
  });

  it('fails the commit of a key taken by another transaction after the group read it: never two orders', async () => {
    const key = { tenantId: TENANT, key: `k-${randomUUID()}` };
    const row = (orderId: string) => ({
      ...key,
      requestHash: requestHash(sampleOrder('x')),
      orderId,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const commit = unitOfWork.run(async () => {
      await orders.loadIdempotencyKeysAhead([key]);
      // Another replica takes the key and commits between our read and our commit.
      await insertRows(db.dataSource.manager, IdempotencyKeyEntity, [
        { ...row(randomUUID()), responseStatus: 201, responseBody: '{}' },
      ]);
      expect(await orders.reserveIdempotencyKey(row(randomUUID()), '{}')).toBeUndefined();
    });
    expect(isDuplicateEntry(await commit.catch((error: unknown) => error))).toBe(true);
  });

  it('reads the keys by their primary key, however many the table holds', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => create(`seed-${i}-${randomUUID()}`)));
    const scans = await fullScansOf(db.dataSource, () =>
      unitOfWork.run(() => orders.loadIdempotencyKeysAhead([{ tenantId: TENANT, key: 'seed-0' }])),
    );
    expect(scans).toEqual([]);
  });
});
