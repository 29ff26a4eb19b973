import { Injectable } from '@nestjs/common';
import {
  DeferredUpdates,
  insertRows,
  isDuplicateEntry,
  selectRows,
  UnitOfWork,
} from '@fapiao/platform/persistence';
import type { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import { OrderErrors } from '../domain/order.errors';
import {
  OrderRepository,
  type IdempotencyKey,
  type OrderPage,
  type StoredResponse,
} from '../domain/order.repository';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderEntity } from './order.entity';
import { OrderMapper } from './order.mapper';

/** Order rows loaded ahead for a batch of messages (`loadAhead`), by tenant and id. */
const LOADED_AHEAD = Symbol('orders loaded ahead');
const NEW_ORDERS = Symbol('new orders');
const key = (tenantId: string, id: string) => `${tenantId}/${id}`;
/** Idempotency keys read ahead for a group of requests: the stored response, or null when absent. */
const KEYS_AHEAD = Symbol('idempotency keys read ahead');
const NEW_KEYS = Symbol('new idempotency keys');
/** By the key's bytes, as the VARBINARY column compares them (it reads back as a Buffer). */
const idempotencyKeyOf = (tenantId: string, idempotencyKey: string | Buffer) =>
  `${tenantId}/${Buffer.from(idempotencyKey).toString('hex')}`;

/** The columns an order's lifecycle changes; the others are written once, when it is placed. */
const MUTABLE = ['status', 'invoiceId', 'rejection', 'invoicedGross', 'reversalError'] as const;

@Injectable()
export class TypeOrmOrderRepository implements OrderRepository {
  /** Each order's row as last read or written, by the aggregate: its version and what changed since. */
  private readonly rows = new WeakMap<Order, OrderEntity>();

  /** Saved orders, written in a statement for the unit of work's (see `save`). */
  private readonly updates: DeferredUpdates<OrderEntity>;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.updates = new DeferredUpdates(unitOfWork, OrderEntity, (ids) =>
      OrderErrors.concurrentUpdate(ids.join(', ')),
    );
  }

  async findById(tenantId: string, id: string): Promise<Order | null> {
    if (this.updates.has(id)) await this.updates.flush(); // read as this unit of work left it
    const ahead = this.unitOfWork.recall<OrderEntity>(LOADED_AHEAD, key(tenantId, id));
    const [row = null] =
      ahead !== undefined
        ? [ahead]
        : await selectRows(
            this.unitOfWork.manager(),
            OrderEntity,
            'SELECT * FROM orders WHERE id = ? AND tenant_id = ?',
            [id, tenantId],
          );
    return row && this.track(row);
  }

  async loadAhead(keys: { tenantId: string; id: string }[]): Promise<void> {
    if (keys.length === 0) return;
    const rows = await selectRows(
      this.unitOfWork.manager(),
      OrderEntity,
      'SELECT * FROM orders WHERE id IN (?)',
      [keys.map((k) => k.id)],
    );
    const found = new Map(rows.map((row) => [key(row.tenantId, row.id), row]));
    // Absent is remembered too (null), as findById would have found nothing.
    this.unitOfWork.remember(
      LOADED_AHEAD,
      keys.map((k) => [key(k.tenantId, k.id), found.get(key(k.tenantId, k.id)) ?? null] as const),
    );
  }

  async tenantOf(id: string): Promise<string | null> {
    const row = await this.unitOfWork
      .manager()
      .findOne(OrderEntity, { select: { tenantId: true }, where: { id } });
    return row?.tenantId ?? null;
  }

  async list(
    tenantId: string,
    filter: { status?: OrderStatus; page: number; pageSize: number },
  ): Promise<OrderPage> {
    const [rows, total] = await this.unitOfWork.manager().findAndCount(OrderEntity, {
      where: { tenantId, ...(filter.status ? { status: filter.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items: rows.map((row) => this.track(row)), total };
  }

  async add(order: Order): Promise<void> {
    const row = OrderMapper.toPersistence(order, 1);
    // Nothing reads a new order back in the transaction that places it: the unit of work writes all of
    // its new orders in one statement when it commits (a group commit's many).
    this.unitOfWork.batched(NEW_ORDERS, row, this.insertOrders);
    this.rows.set(order, row);
  }

  private readonly insertOrders = (rows: OrderEntity[]) =>
    insertRows(this.unitOfWork.transactional('OrderRepository.add'), OrderEntity, rows);

  async save(order: Order): Promise<void> {
    const row = this.rows.get(order);
    if (!row) throw new Error(`Order ${order.id} was not read from this repository: add it instead`);
    const next = OrderMapper.toPersistence(order, row.version);
    const change: Partial<OrderEntity> = {};
    for (const column of MUTABLE) {
      if (next[column] !== row[column]) Object.assign(change, { [column]: next[column] });
    }
    this.unitOfWork.forget(LOADED_AHEAD, key(order.tenantId, order.id));
    // Written with the unit of work's other saved orders when it commits; another writer's change since
    // the order was read fails the commit (ORDER.CONCURRENT_UPDATE).
    this.updates.add(row, change);
  }

  /**
   * The key row is inserted first: a concurrent request with the same key waits on it and then replays, and
   * different keys never contend (a locking read of a missing row would take gap locks and deadlock under
   * load).
   */
  async reserveIdempotencyKey(key: IdempotencyKey, response: string): Promise<StoredResponse | undefined> {
    const manager = this.unitOfWork.transactional('OrderRepository.reserveIdempotencyKey');
    // Every accepted order answers 201, a replay too (with Idempotent-Replayed).
    const row = { ...key, responseStatus: 201, responseBody: response };
    const ahead = this.unitOfWork.recall<StoredResponse>(KEYS_AHEAD, idempotencyKeyOf(key.tenantId, key.key));
    if (ahead) return ahead;
    if (ahead === null) {
      // Read ahead as absent: written with the group's other keys at commit. A request that took it
      // meanwhile fails that commit, and the group's works run again alone, where this one replays it.
      this.unitOfWork.batched(NEW_KEYS, row, this.insertKeys);
      return undefined;
    }
    await this.unitOfWork.flush(NEW_KEYS); // the same key earlier in this unit of work is replayed
    try {
      await insertRows(manager, IdempotencyKeyEntity, [row]);
      return undefined;
    } catch (error) {
      if (!isDuplicateEntry(error)) throw error;
      const existing = await manager
        .getRepository(IdempotencyKeyEntity)
        .createQueryBuilder('k')
        // A locking read sees the row a concurrent request just committed, whatever our snapshot. (Not a
        // shared lock: TypeORM writes FOR SHARE for any server ≥ 8.0, which MariaDB 10.x refuses.)
        .setLock('pessimistic_write')
        .where('k.tenant_id = :tenantId AND k.idempotency_key = :key', {
          tenantId: key.tenantId,
          key: key.key,
        })
        .getOne();
      if (!existing) throw error;
      return { requestHash: existing.requestHash, body: existing.responseBody };
    }
  }

  async loadIdempotencyKeysAhead(keys: { tenantId: string; key: string }[]): Promise<void> {
    if (keys.length === 0) return;
    const rows = (await this.unitOfWork
      .manager()
      .query(
        'SELECT tenant_id, idempotency_key, request_hash, response_body FROM idempotency_keys WHERE (tenant_id, idempotency_key) IN (?)',
        [keys.map((k) => [k.tenantId, k.key])],
      )) as { tenant_id: string; idempotency_key: Buffer; request_hash: string; response_body: string }[];
    const stored = new Map(
      rows.map((row) => [
        idempotencyKeyOf(row.tenant_id, row.idempotency_key),
        { requestHash: row.request_hash, body: row.response_body },
      ]),
    );
    this.unitOfWork.remember(
      KEYS_AHEAD,
      keys.map((k) => {
        const at = idempotencyKeyOf(k.tenantId, k.key);
        return [at, stored.get(at) ?? null] as const;
      }),
    );
  }

  private readonly insertKeys = (rows: IdempotencyKeyEntity[]) =>
    insertRows(
      this.unitOfWork.transactional('OrderRepository.reserveIdempotencyKey'),
      IdempotencyKeyEntity,
      rows,
    );

  async purgeExpiredIdempotencyKeys(now: Date, limit: number): Promise<number> {
    const result = (await this.unitOfWork
      .manager()
      .query('DELETE FROM idempotency_keys WHERE expires_at < ? LIMIT ?', [now, limit])) as {
      affectedRows?: number;
    };
    return result.affectedRows ?? 0;
  }

  async countInFlight(): Promise<number> {
    const [row] = (await this.unitOfWork
      .manager()
      .query("SELECT COUNT(*) AS n FROM orders WHERE status IN ('ACCEPTED', 'INVOICING')")) as {
      n: string;
    }[];
    return Number(row?.n ?? 0);
  }

  private track(row: OrderEntity): Order {
    const order = OrderMapper.toDomain(row);
    this.rows.set(order, row);
    return order;
  }
}
