import { Injectable } from '@nestjs/common';
import { IsNull, Not, type EntityManager } from 'typeorm';
import { insertRows, selectRows, UnitOfWork, updateRows } from '@fapiao/platform/persistence';
import type {
  AuthorityRecord,
  Discrepancy,
  DiscrepancyType,
  ReconOrder,
  ReversalRecord,
} from '../domain/reconciliation';
import {
  ReconciliationRepository,
  type DiscrepancyFilter,
  type DiscrepancyPage,
  type ReversalSideRecord,
} from '../domain/reconciliation.repository';
import { AuthorityRecordEntity } from './authority-record.entity';
import { DiscrepancyEntity } from './discrepancy.entity';
import { ReconOrderEntity } from './recon-order.entity';
import { ReconReversalEntity } from './reversal.entity';

/** The rows have the domain records' shape: they are answered as they are read. */
@Injectable()
export class TypeOrmReconciliationRepository implements ReconciliationRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async addPlaced(order: ReconOrder): Promise<boolean> {
    return (
      (await this.insertIgnore(
        this.unitOfWork.transactional('ReconciliationRepository.addPlaced'),
        order,
      )) === 1
    );
  }

  async lockOrHold(tenantId: string, orderId: string): Promise<ReconOrder> {
    const manager = this.unitOfWork.transactional('ReconciliationRepository.lockOrHold');
    const lock = async () =>
      (
        await selectRows(
          manager,
          ReconOrderEntity,
          'SELECT * FROM recon_orders WHERE order_id = ? FOR UPDATE',
          [orderId],
        )
      )[0];
    // Most facts find the order's record: one locking read. Otherwise hold an empty one, then lock it.
    const found = await lock();
    if (found) return found;
    await this.insertIgnore(manager, {
      orderId,
      tenantId,
      status: 'PENDING',
      expectedGross: null,
      invoiceId: null,
      invoiceGross: null,
      placedAt: null,
      matchedAt: null,
      cancelledAt: null,
      updatedAt: new Date(),
    });
    const held = await lock();
    if (!held) throw new Error(`recon order ${orderId} vanished after INSERT IGNORE`);
    return held;
  }

  /** INSERT IGNORE: a concurrent insert of the same order waits for its commit and is then ignored. */
  private insertIgnore(manager: EntityManager, order: ReconOrder) {
    return insertRows(manager, ReconOrderEntity, [order], { ignore: true });
  }

  async lockByInvoice(invoiceId: string): Promise<ReconOrder | null> {
    const [order = null] = await selectRows(
      this.unitOfWork.transactional('ReconciliationRepository.lockByInvoice'),
      ReconOrderEntity,
      'SELECT * FROM recon_orders WHERE invoice_id = ? LIMIT 1 FOR UPDATE',
      [invoiceId],
    );
    return order;
  }

  async updateOrder(
    orderId: string,
    change: Partial<Omit<ReconOrder, 'orderId' | 'tenantId'>>,
  ): Promise<void> {
    await updateRows(
      this.unitOfWork.transactional('ReconciliationRepository.updateOrder'),
      ReconOrderEntity,
      change,
      'order_id = ?',
      [orderId],
    );
  }

  findOrder(tenantId: string, orderId: string): Promise<ReconOrder | null> {
    return this.unitOfWork.manager().findOneBy(ReconOrderEntity, { tenantId, orderId });
  }

  async findAuthorityRecord(invoiceId: string, options = { lock: false }): Promise<AuthorityRecord | null> {
    const [record = null] = await selectRows(
      this.unitOfWork.manager(),
      AuthorityRecordEntity,
      `SELECT * FROM recon_authority_records WHERE invoice_id = ? LIMIT 1${options.lock ? ' FOR UPDATE' : ''}`,
      [invoiceId],
    );
    return record;
  }

  async addAuthorityRecord(record: AuthorityRecord): Promise<boolean> {
    const added = await insertRows(
      this.unitOfWork.transactional('ReconciliationRepository.addAuthorityRecord'),
      AuthorityRecordEntity,
      [record],
      { ignore: true },
    );
    return added === 1;
  }

  reversalsOf(invoiceId: string, options: { lock: boolean }): Promise<ReversalRecord[]> {
    const manager = options.lock
      ? this.unitOfWork.transactional('ReconciliationRepository.reversalsOf')
      : this.unitOfWork.manager();
    return selectRows(
      manager,
      ReconReversalEntity,
      `SELECT * FROM recon_reversals WHERE invoice_id = ? ORDER BY reversal_id${options.lock ? ' FOR UPDATE' : ''}`,
      [invoiceId],
    );
  }

  async saveReversalSide(report: ReversalSideRecord): Promise<void> {
    await this.unitOfWork
      .transactional('ReconciliationRepository.saveReversalSide')
      .upsert(ReconReversalEntity, report, ['reversalId']);
  }

  async findDiscrepancy(orderId: string, type: DiscrepancyType): Promise<Discrepancy | null> {
    const [discrepancy = null] = await selectRows(
      this.unitOfWork.manager(),
      DiscrepancyEntity,
      'SELECT * FROM discrepancies WHERE order_id = ? AND type = ? LIMIT 1',
      [orderId, type],
    );
    return discrepancy;
  }

  async addDiscrepancy(discrepancy: Discrepancy): Promise<void> {
    await this.unitOfWork
      .transactional('ReconciliationRepository.addDiscrepancy')
      .insert(DiscrepancyEntity, discrepancy);
  }

  async reopenDiscrepancy(id: string, found: Pick<Discrepancy, 'detail' | 'detectedAt'>): Promise<void> {
    await this.unitOfWork
      .transactional('ReconciliationRepository.reopenDiscrepancy')
      .update(DiscrepancyEntity, { id }, { ...found, resolvedAt: null });
  }

  async resolveOpenDiscrepancies(orderId: string, resolvedAt: Date): Promise<void> {
    await updateRows(
      this.unitOfWork.transactional('ReconciliationRepository.resolveOpenDiscrepancies'),
      DiscrepancyEntity,
      { resolvedAt },
      'order_id = ? AND resolved_at IS NULL',
      [orderId],
    );
  }

  async listDiscrepancies(tenantId: string, filter: DiscrepancyFilter): Promise<DiscrepancyPage> {
    const resolvedAt = { open: IsNull(), resolved: Not(IsNull()), all: undefined }[filter.state];
    const [items, total] = await this.unitOfWork.manager().findAndCount(DiscrepancyEntity, {
      where: {
        tenantId,
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
        ...(resolvedAt ? { resolvedAt } : {}),
      },
      order: { detectedAt: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  lockStaleUninvoiced(cutoff: Date, limit: number): Promise<ReconOrder[]> {
    return this.unitOfWork
      .transactional('ReconciliationRepository.lockStaleUninvoiced')
      .getRepository(ReconOrderEntity)
      .createQueryBuilder('o')
      .leftJoin(DiscrepancyEntity, 'd', "d.order_id = o.order_id AND d.type = 'NO_TERMINAL_INVOICE'")
      .where("o.status = 'PENDING' AND o.cancelled_at IS NULL AND o.placed_at < :cutoff AND d.id IS NULL", {
        cutoff,
      })
      .orderBy('o.placed_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  lockStaleUnreversed(cutoff: Date, limit: number): Promise<ReconOrder[]> {
    return this.unitOfWork
      .transactional('ReconciliationRepository.lockStaleUnreversed')
      .getRepository(ReconOrderEntity)
      .createQueryBuilder('o')
      .leftJoin(DiscrepancyEntity, 'd', "d.order_id = o.order_id AND d.type = 'CANCELLED_NOT_REVERSED'")
      .where("o.status = 'PENDING' AND o.cancelled_at < :cutoff AND d.id IS NULL", { cutoff })
      .orderBy('o.cancelled_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  lockStaleOneSided(cutoff: Date, limit: number): Promise<ReconOrder[]> {
    return this.unitOfWork
      .transactional('ReconciliationRepository.lockStaleOneSided')
      .getRepository(ReconOrderEntity)
      .createQueryBuilder('o')
      .innerJoin(ReconReversalEntity, 'r', 'r.invoice_id = o.invoice_id')
      .leftJoin(
        DiscrepancyEntity,
        'd',
        "d.order_id = o.order_id AND d.type = 'REVERSAL_ONE_SIDED' AND d.resolved_at IS NULL",
      )
      .where('o.cancelled_at IS NULL AND d.id IS NULL')
      .andWhere('(r.invoice_gross IS NULL OR r.authority_gross IS NULL) AND r.updated_at < :cutoff', {
        cutoff,
      })
      .orderBy('r.updated_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }
}
