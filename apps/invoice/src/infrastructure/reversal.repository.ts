import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { updateVersioned } from '@fapiao/platform/persistence';
import { ReversalErrors } from '../domain/reversal.errors';
import { ReversalEntity } from './reversal.entity';

/** Port (and DI token) of the reversals; reads by id are tenant-scoped. */
export abstract class ReversalRepository {
  abstract findById(tenantId: string, id: string, manager?: EntityManager): Promise<ReversalEntity | null>;
  abstract findByIdempotencyKey(
    manager: EntityManager,
    tenantId: string,
    key: string,
  ): Promise<ReversalEntity | null>;
  /** Oldest first. */
  abstract listForInvoice(invoiceId: string, manager?: EntityManager): Promise<ReversalEntity[]>;
  abstract insert(manager: EntityManager, reversal: ReversalEntity): Promise<void>;
  /** Optimistic: fails with REVERSAL.CONCURRENT_UPDATE when the row changed since it was read. */
  abstract update(
    manager: EntityManager,
    reversal: ReversalEntity,
    change: Partial<ReversalEntity>,
  ): Promise<void>;
}

@Injectable()
export class TypeOrmReversalRepository implements ReversalRepository {
  constructor(@InjectRepository(ReversalEntity) private readonly reversals: Repository<ReversalEntity>) {}

  findById(tenantId: string, id: string, manager?: EntityManager) {
    return (manager?.getRepository(ReversalEntity) ?? this.reversals).findOneBy({ tenantId, id });
  }

  findByIdempotencyKey(manager: EntityManager, tenantId: string, key: string) {
    return manager.getRepository(ReversalEntity).findOneBy({ tenantId, idempotencyKey: key });
  }

  listForInvoice(invoiceId: string, manager?: EntityManager) {
    return (manager?.getRepository(ReversalEntity) ?? this.reversals).find({
      where: { invoiceId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async insert(manager: EntityManager, reversal: ReversalEntity) {
    await manager.insert(ReversalEntity, reversal);
  }

  async update(manager: EntityManager, reversal: ReversalEntity, change: Partial<ReversalEntity>) {
    if (!(await updateVersioned(manager, ReversalEntity, reversal, { ...change, updatedAt: new Date() })))
      throw ReversalErrors.concurrentUpdate(reversal.id);
  }
}
