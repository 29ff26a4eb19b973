/**
 * The order repository's bookkeeping queries against the real MariaDB: the backlog count intake admits
 * against, and the idempotency purge in bounded chunks.
 */
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { createTestDatabase, sampleOrder, statementsOf, type TestDatabase } from '@fapiao/testing';
import { Order } from '../domain/order';
import { ORDER_SCHEMA } from '../schema';
import { TypeOrmOrderRepository } from './typeorm-order.repository';

jest.setTimeout(60_000);

const TENANT_A = randomUUID();

describe('TypeOrmOrderRepository (MySQL)', () => {
  let db: TestDatabase;
  let unitOfWork: UnitOfWork;
  let orders: TypeOrmOrderRepository;

  beforeAll(async () => {
    db = await createTestDatabase(ORDER_SCHEMA, 'it_order_');
    unitOfWork = new UnitOfWork(db.dataSource);
    orders = new TypeOrmOrderRepository(unitOfWork);
  });
  afterAll(() => db?.drop());

  const place = (tenantId: string) =>
    unitOfWork.run(async () => {
      const order = Order.place({
        id: randomUUID(),
        tenantId,
        sellerTaxId: '91440300708461136T',
        request: sampleOrder(`EXT-${randomUUID()}`),
        now: new Date(),
      });
      await orders.add(order);
      return order;
    });

  it('counts the orders in flight of every tenant: accepted or invoicing, not those that ended', async () => {
    const [a, b, c] = [await place(randomUUID()), await place(randomUUID()), await place(randomUUID())];
    expect(await orders.countInFlight()).toBe(3);
    await unitOfWork.run(async () => {
      const drafted = await orders.findById(a.tenantId, a.id);
      const issued = await orders.findById(b.tenantId, b.id);
      if (!drafted || !issued) throw new Error('placed orders not found');
      drafted.invoiceDrafted(randomUUID());
      await orders.save(drafted);
      issued.invoiceIssued(randomUUID(), '106.00');
      await orders.save(issued);
    });
    expect(await orders.countInFlight()).toBe(2); // a INVOICING and c ACCEPTED; b INVOICED
    const plan = (await db.dataSource.query(
      "EXPLAIN SELECT COUNT(*) FROM orders WHERE status IN ('ACCEPTED', 'INVOICING')",
    )) as { key: string | null }[];
    expect(plan[0].key).toBe('idx_orders_status');
    expect(c.status).toBe('ACCEPTED');
  });

  it("writes a unit of work's saved orders at commit, one statement for the same change, read back as saved", async () => {
    const placed = [await place(TENANT_A), await place(TENANT_A), await place(TENANT_A)];
    const updates = (sent: readonly string[]) => sent.filter((sql) => sql.startsWith('UPDATE'));
    const sent = await statementsOf((sending) =>
      unitOfWork.run(async () => {
        for (const { tenantId, id } of placed) {
          const order = await orders.findById(tenantId, id);
          order?.invoiceDrafted(randomUUID());
          if (order) await orders.save(order);
        }
        expect(updates(sending)).toHaveLength(0);
        // The next event about the first order reads it as this unit of work left it.
        const again = await orders.findById(TENANT_A, placed[0].id);
        expect(again?.status).toBe('INVOICING');
        again?.invoiceIssued(again.invoiceId ?? '', '106.00');
        if (again) await orders.save(again);
      }),
    );
    // The three drafted (flushed by the read), then the issued one at commit.
    expect(updates(sent)).toHaveLength(2);
    expect((await orders.findById(TENANT_A, placed[0].id))?.status).toBe('INVOICED');
    expect((await orders.findById(TENANT_A, placed[2].id))?.status).toBe('INVOICING');
  });

  it('purges expired idempotency keys at most `limit` at a time, never one still valid', async () => {
    const now = new Date();
    const key = (expiresAt: Date) => ({
      tenantId: randomUUID(),
      key: randomUUID(),
      requestHash: 'h',
      orderId: randomUUID(),
      createdAt: new Date(expiresAt.getTime() - 3_600_000),
      expiresAt,
    });
    const expired = Array.from({ length: 7 }, () => key(new Date(now.getTime() - 60_000)));
    const valid = key(new Date(now.getTime() + 60_000));
    for (const k of [...expired, valid]) await unitOfWork.run(() => orders.reserveIdempotencyKey(k, '{}'));

    expect(await orders.purgeExpiredIdempotencyKeys(now, 3)).toBe(3);
    expect(await orders.purgeExpiredIdempotencyKeys(now, 3)).toBe(3);
    expect(await orders.purgeExpiredIdempotencyKeys(now, 3)).toBe(1);
    expect(await orders.purgeExpiredIdempotencyKeys(now, 3)).toBe(0);
    const [{ n }] = (await db.dataSource.query('SELECT COUNT(*) AS n FROM idempotency_keys')) as {
      n: string;
    }[];
    expect(Number(n)).toBe(1);
  });
});
