import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository, type EntityManager } from 'typeorm';
import { updateVersioned } from '@fapiao/platform/persistence';
import type { OrderStatus } from '../domain/order-status';
import { OrderErrors } from '../domain/order.errors';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderEntity } from './order.entity';

export interface OrderPage {
  items: OrderEntity[];
  total: number;
}

/** Port (and DI token); every query is scoped to the caller's tenant. Writes take the caller's transaction. */
export abstract class OrderRepository {
  abstract findById(tenantId: string, id: string, manager?: EntityManager): Promise<OrderEntity | null>;
  abstract list(
    tenantId: string,
    filter: { status?: OrderStatus; page: number; pageSize: number },
  ): Promise<OrderPage>;
  abstract insert(manager: EntityManager, order: OrderEntity): Promise<void>;
  /** Optimistic: fails with ORDER.CONCURRENT_UPDATE when someone else changed the order meanwhile. */
  abstract update(manager: EntityManager, order: OrderEntity, change: Partial<OrderEntity>): Promise<void>;
  abstract findIdempotencyKey(
    manager: EntityManager,
    tenantId: string,
    key: string,
  ): Promise<IdempotencyKeyEntity | null>;
  abstract insertIdempotencyKey(manager: EntityManager, record: IdempotencyKeyEntity): Promise<void>;
  abstract saveIdempotentResponse(
    manager: EntityManager,
    record: IdempotencyKeyEntity,
    body: string,
  ): Promise<void>;
  abstract purgeExpiredIdempotencyKeys(now: Date): Promise<number>;
}

@Injectable()
export class TypeOrmOrderRepository implements OrderRepository {
  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>,
  ) {}

  findById(tenantId: string, id: string, manager?: EntityManager) {
    return (manager?.getRepository(OrderEntity) ?? this.orders).findOneBy({ tenantId, id });
  }

  async list(tenantId: string, filter: { status?: OrderStatus; page: number; pageSize: number }) {
    const [items, total] = await this.orders.findAndCount({
      where: { tenantId, ...(filter.status ? { status: filter.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  async insert(manager: EntityManager, order: OrderEntity): Promise<void> {
    await manager.insert(OrderEntity, order);
  }

  async update(manager: EntityManager, order: OrderEntity, change: Partial<OrderEntity>): Promise<void> {
    if (!(await updateVersioned(manager, OrderEntity, order, change)))
      throw OrderErrors.concurrentUpdate(order.id);
  }

  findIdempotencyKey(manager: EntityManager, tenantId: string, key: string) {
    return (
      manager
        .getRepository(IdempotencyKeyEntity)
        .createQueryBuilder('k')
        // A locking read sees the row a concurrent request just committed, whatever our snapshot. (Not a
        // shared lock: TypeORM writes FOR SHARE for any server ≥ 8.0, which MariaDB 10.x refuses.)
        .setLock('pessimistic_write')
        .where('k.tenant_id = :tenantId AND k.idempotency_key = :key', { tenantId, key })
        .getOne()
    );
  }

  async insertIdempotencyKey(manager: EntityManager, record: IdempotencyKeyEntity): Promise<void> {
    await manager.insert(IdempotencyKeyEntity, record);
  }

  async saveIdempotentResponse(
    manager: EntityManager,
    record: IdempotencyKeyEntity,
    body: string,
  ): Promise<void> {
    await manager.update(
      IdempotencyKeyEntity,
      { tenantId: record.tenantId, key: record.key },
      { responseBody: body },
    );
  }

  async purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    const result = await this.keys.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
