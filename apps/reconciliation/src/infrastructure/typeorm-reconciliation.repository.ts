import { Injectable } from '@nestjs/common';
import { IsNull, Not, type EntityManager } from 'typeorm';
import { insertRows, selectRows, UnitOfWork, updateEach, updateRows } from '@fapiao/platform/persistence';
import type {
  AuthorityRecord,
  Discrepancy,
  DiscrepancyType,
  ReconOrder,
  ReversalRecord,
} from '../domain/reconciliation';
import { ReconciliationErrors } from '../domain/reconciliation.errors';
import {
  ReconciliationRepository,
  type DiscrepancyFilter,
  type DiscrepancyPage,
  type OrderChange,
  type ReversalSideRecord,
} from '../domain/reconciliation.repository';
import { AuthorityRecordEntity } from './authority-record.entity';
import { DiscrepancyEntity } from './discrepancy.entity';
import { ReconOrderEntity } from './recon-order.entity';
import { ReconReversalEntity } from './reversal.entity';

/** Order records locked ahead for a batch (`lockAhead`), by order id; null: no record yet. */
const LOCKED_AHEAD = Symbol('recon orders locked ahead');
/** Orders `addPlacedAhead` recorded: `addPlaced` of each is answered from here. */
const PLACED_AHEAD = Symbol('recon orders placed ahead');
/** The order id of each invoice whose record was locked ahead; null: no order has the invoice. */
const LOCKED_AHEAD_BY_INVOICE = Symbol('recon order ids locked ahead, by invoice');
/** By invoice id: whether `addAuthorityRecordsAhead` added its record (false: it existed). */
const AUTHORITY_ADDED_AHEAD = Symbol('authority records added ahead');

/** The rows have the domain records' shape: they are answered as they are read. */
@Injectable()
export class TypeOrmReconciliationRepository implements ReconciliationRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async addPlaced(order: ReconOrder): Promise<boolean> {
    this.unitOfWork.forget(LOCKED_AHEAD, order.orderId);
    if (this.unitOfWork.recall<boolean>(PLACED_AHEAD, order.orderId)) return true;
    return (
      (await this.insertIgnore(
        this.unitOfWork.transactional('ReconciliationRepository.addPlaced'),
        order,
      )) === 1
    );
  }

  async addPlacedAhead(orders: ReconOrder[]): Promise<void> {
    const unique = [...new Map(orders.map((order) => [order.orderId, order])).values()];
    if (unique.length === 0) return;
    const added = await insertRows(
      this.unitOfWork.transactional('ReconciliationRepository.addPlacedAhead'),
      ReconOrderEntity,
      unique,
      { ignore: true },
    );
    // Some existed (a fact came first, or a repeat): which ones, each addPlaced finds out for itself.
    if (added === unique.length)
      this.unitOfWork.remember(
        PLACED_AHEAD,
        unique.map((order) => [order.orderId, true] as const),
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
    // Most facts find the order's record: one locking read (or none, locked ahead). Otherwise hold an empty
    // one, then lock it.
    const ahead = this.unitOfWork.recall<ReconOrder>(LOCKED_AHEAD, orderId);
    const found = ahead === undefined ? await lock() : ahead;
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
    const orderId = this.unitOfWork.recall<string | null>(LOCKED_AHEAD_BY_INVOICE, invoiceId);
    if (orderId === null) return null;
    const ahead = orderId ? this.unitOfWork.recall<ReconOrder>(LOCKED_AHEAD, orderId) : undefined;
    // Still this invoice's order (a later invoice of the order replaces it): otherwise read as below.
    if (ahead?.invoiceId === invoiceId) return ahead;
    const [order = null] = await selectRows(
      this.unitOfWork.transactional('ReconciliationRepository.lockByInvoice'),
      ReconOrderEntity,
      'SELECT * FROM recon_orders WHERE invoice_id = ? LIMIT 1 FOR UPDATE',
      [invoiceId],
    );
    return order;
  }

  async lockAhead(orderIds: string[]): Promise<void> {
    // In key order, as every batch locks them: two batches sharing orders wait for each other, never deadlock.
    const ids = [...new Set(orderIds)].sort();
    if (ids.length === 0) return;
    const rows = await selectRows(
      this.unitOfWork.transactional('ReconciliationRepository.lockAhead'),
      ReconOrderEntity,
      'SELECT * FROM recon_orders WHERE order_id IN (?) ORDER BY order_id FOR UPDATE',
      [ids],
    );
    const found = new Map(rows.map((row) => [row.orderId, row]));
    this.unitOfWork.remember(
      LOCKED_AHEAD,
      ids.map((id) => [id, found.get(id) ?? null] as const),
    );
  }

  async lockAheadByInvoice(invoiceIds: string[]): Promise<void> {
    if (invoiceIds.length === 0) return;
    // Which orders, from what is committed (no lock, so nothing is locked out of key order); an invoice
    // whose InvoiceIssued is being committed now is not among them, and its own lockByInvoice waits for it.
    const owners = (await this.unitOfWork
      .transactional('ReconciliationRepository.lockAheadByInvoice')
      .query('SELECT invoice_id, order_id FROM recon_orders WHERE invoice_id IN (?)', [
        [...new Set(invoiceIds)],
      ])) as { invoice_id: string; order_id: string }[];
    await this.lockAhead(owners.map((owner) => owner.order_id));
    this.unitOfWork.remember(
      LOCKED_AHEAD_BY_INVOICE,
      owners.map((owner) => [owner.invoice_id, owner.order_id] as const),
    );
  }

  async updateOrders(orderIds: string[], change: OrderChange): Promise<void> {
    if (orderIds.length === 0) return;
    for (const orderId of orderIds) this.unitOfWork.forget(LOCKED_AHEAD, orderId);
    await updateRows(
      this.unitOfWork.transactional('ReconciliationRepository.updateOrders'),
      ReconOrderEntity,
      change,
      'order_id IN (?)',
      [orderIds],
    );
  }

  async updateEachOrder(changes: { orderId: string; change: OrderChange }[]): Promise<void> {
    const merged = new Map<string, OrderChange>();
    for (const { orderId, change } of changes) merged.set(orderId, { ...merged.get(orderId), ...change });
    const byColumns = new Map<string, { id: string; change: OrderChange }[]>();
    for (const [orderId, change] of merged) {
      this.unitOfWork.forget(LOCKED_AHEAD, orderId);
      if (change.invoiceId) this.unitOfWork.forget(LOCKED_AHEAD_BY_INVOICE, change.invoiceId);
      const columns = Object.keys(change).sort().join();
      byColumns.set(columns, [...(byColumns.get(columns) ?? []), { id: orderId, change }]);
    }
    const manager = this.unitOfWork.transactional('ReconciliationRepository.updateEachOrder');
    for (const rows of byColumns.values()) await updateEach(manager, ReconOrderEntity, rows);
  }

  findOrder(tenantId: string, orderId: string): Promise<ReconOrder | null> {
    return this.unitOfWork.manager().findOneBy(ReconOrderEntity, { tenantId, orderId });
  }

  async findAuthorityRecords(
    invoiceIds: string[],
    options: { lock: boolean },
  ): Promise<Map<string, AuthorityRecord>> {
    if (invoiceIds.length === 0) return new Map();
    const records = await selectRows(
      this.unitOfWork.manager(),
      AuthorityRecordEntity,
      `SELECT * FROM recon_authority_records WHERE invoice_id IN (?)${options.lock ? ' FOR UPDATE' : ''}`,
      [[...new Set(invoiceIds)]],
    );
    return new Map(records.map((record) => [record.invoiceId, record]));
  }

  async addAuthorityRecord(record: AuthorityRecord): Promise<boolean> {
    // Taken out once: a repeat of the invoice later in the batch writes nothing, as below.
    const ahead = this.unitOfWork.recall<boolean>(AUTHORITY_ADDED_AHEAD, record.invoiceId);
    if (ahead != null) return ahead;
    const added = await insertRows(
      this.unitOfWork.transactional('ReconciliationRepository.addAuthorityRecord'),
      AuthorityRecordEntity,
      [record],
      { ignore: true },
    );
    return added === 1;
  }

  async addAuthorityRecordsAhead(records: AuthorityRecord[]): Promise<void> {
    const unique = [...new Map(records.map((record) => [record.invoiceId, record])).values()];
    if (unique.length === 0) return;
    const invoiceIds = unique.map((record) => record.invoiceId);
    const manager = this.unitOfWork.transactional('ReconciliationRepository.addAuthorityRecordsAhead');
    const existing = new Set(
      (
        (await manager.query('SELECT invoice_id FROM recon_authority_records WHERE invoice_id IN (?)', [
          invoiceIds,
        ])) as { invoice_id: string }[]
      ).map((row) => row.invoice_id),
    );
    const fresh = unique.filter((record) => !existing.has(record.invoiceId));
    const added = await insertRows(manager, AuthorityRecordEntity, fresh, { ignore: true });
    if (added !== fresh.length)
      throw ReconciliationErrors.concurrentAuthorityRecord(fresh.map((record) => record.invoiceId));
    this.unitOfWork.remember(
      AUTHORITY_ADDED_AHEAD,
      invoiceIds.map((invoiceId) => [invoiceId, !existing.has(invoiceId)] as const),
    );
  }

  async lockAheadOfInvoices(invoiceIds: string[]): Promise<void> {
    if (invoiceIds.length === 0) return;
    // A locking read: an InvoiceIssued of one of them being committed now is waited for, then seen.
    const orders = await selectRows(
      this.unitOfWork.transactional('ReconciliationRepository.lockAheadOfInvoices'),
      ReconOrderEntity,
      'SELECT * FROM recon_orders WHERE invoice_id IN (?) FOR UPDATE',
      [[...new Set(invoiceIds)]],
    );
    const ownerOf = new Map(orders.map((order) => [order.invoiceId, order.orderId]));
    this.unitOfWork.remember(
      LOCKED_AHEAD,
      orders.map((order) => [order.orderId, order] as const),
    );
    this.unitOfWork.remember(
      LOCKED_AHEAD_BY_INVOICE,
      invoiceIds.map((invoiceId) => [invoiceId, ownerOf.get(invoiceId) ?? null] as const),
    );
  }

  async reversalsOf(
    invoiceIds: string[],
    options: { lock: boolean },
  ): Promise<Map<string, ReversalRecord[]>> {
    if (invoiceIds.length === 0) return new Map();
    const manager = options.lock
      ? this.unitOfWork.transactional('ReconciliationRepository.reversalsOf')
      : this.unitOfWork.manager();
    const rows = await selectRows(
      manager,
      ReconReversalEntity,
      `SELECT * FROM recon_reversals WHERE invoice_id IN (?) ORDER BY reversal_id${options.lock ? ' FOR UPDATE' : ''}`,
      [[...new Set(invoiceIds)]],
    );
    const byInvoice = new Map<string, ReversalRecord[]>();
    for (const row of rows) byInvoice.set(row.invoiceId, [...(byInvoice.get(row.invoiceId) ?? []), row]);
    return byInvoice;
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

  async resolveOpenDiscrepancies(orderIds: string[], resolvedAt: Date): Promise<void> {
    if (orderIds.length === 0) return;
    await updateRows(
      this.unitOfWork.transactional('ReconciliationRepository.resolveOpenDiscrepancies'),
      DiscrepancyEntity,
      { resolvedAt },
      'order_id IN (?) AND resolved_at IS NULL',
      [orderIds],
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
