import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { insertRows, updateVersioned, UnitOfWork } from '@fapiao/platform/persistence';
import type { Invoice } from '../domain/invoice';
import { InvoiceErrors } from '../domain/invoice.errors';
import {
  InvoiceRepository,
  type InvoiceFilter,
  type InvoiceHistoryEntry,
} from '../domain/invoice.repository';
import { InvoiceEventEntity } from './invoice-event.entity';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceMapper } from './invoice.mapper';
import { InvoiceEntity } from './invoice.entity';

@Injectable()
export class TypeOrmInvoiceRepository implements InvoiceRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  findById(tenantId: string, id: string) {
    return this.findOne({ tenantId, id }, false);
  }

  findByOrder(tenantId: string, orderId: string) {
    return this.findOne({ tenantId, orderId }, false);
  }

  lock(tenantId: string, id: string) {
    return this.findOne({ tenantId, id }, true);
  }

  lockByOrder(tenantId: string, orderId: string) {
    return this.findOne({ tenantId, orderId }, true);
  }

  async list(tenantId: string, filter: InvoiceFilter) {
    const manager = this.unitOfWork.manager();
    const [rows, total] = await manager.findAndCount(InvoiceEntity, {
      where: {
        tenantId,
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    const lines = rows.length
      ? await manager.find(InvoiceLineEntity, { where: { invoiceId: In(rows.map((row) => row.id)) } })
      : [];
    const items = rows.map((row) =>
      InvoiceMapper.toDomain(row, sortLines(lines.filter((line) => line.invoiceId === row.id))),
    );
    return { items, total };
  }

  async history(invoiceId: string): Promise<InvoiceHistoryEntry[]> {
    const events = await this.unitOfWork
      .manager()
      .find(InvoiceEventEntity, { where: { invoiceId }, order: { seq: 'ASC' } });
    return events.map(({ status, note, at }) => ({ status, note, at }));
  }

  async add(invoice: Invoice) {
    const manager = this.unitOfWork.transactional('InvoiceRepository.add');
    const state = invoice.snapshot();
    await insertRows(manager, InvoiceEntity, [InvoiceMapper.toRow(state)]);
    await insertRows(manager, InvoiceLineEntity, InvoiceMapper.toLineRows(state));
    this.record(invoice, state.version);
  }

  async save(invoice: Invoice) {
    if (!invoice.changed) return;
    const manager = this.unitOfWork.transactional('InvoiceRepository.save');
    const state = invoice.snapshot();
    const row = { id: state.id, version: state.version };
    if (!(await updateVersioned(manager, InvoiceEntity, row, InvoiceMapper.toChange(state))))
      throw InvoiceErrors.concurrentUpdate(invoice.id);
    this.record(invoice, row.version);
  }

  /**
   * One history row per save that changed the status, numbered by the version it produced; the unit of
   * work writes all of its history rows in one statement when it commits.
   */
  private record(invoice: Invoice, version: number) {
    const changes = invoice.pendingChanges();
    const last = changes.at(-1);
    if (last) {
      const event: InvoiceEventEntity = {
        invoiceId: invoice.id,
        seq: version,
        status: last.status,
        note: changes
          .map((change) => change.note)
          .join('; ')
          .slice(0, 500),
        at: new Date(),
      };
      this.unitOfWork.batched(INVOICE_EVENTS, event, this.insertEvents);
    }
    invoice.saved(version);
  }

  private readonly insertEvents = (events: InvoiceEventEntity[]) =>
    insertRows(this.unitOfWork.transactional('invoice history'), InvoiceEventEntity, events);

  /** The invoice and its lines in one statement (locking both when asked). */
  private async findOne(where: { tenantId: string; id?: string; orderId?: string }, forUpdate: boolean) {
    const query = this.unitOfWork
      .manager()
      .createQueryBuilder(InvoiceEntity, 'invoice')
      .leftJoinAndSelect('invoice.lines', 'line')
      .where('invoice.tenantId = :tenantId', { tenantId: where.tenantId })
      .orderBy('line.lineNo', 'ASC');
    if (where.id) query.andWhere('invoice.id = :id', { id: where.id });
    if (where.orderId) query.andWhere('invoice.orderId = :orderId', { orderId: where.orderId });
    if (forUpdate) query.setLock('pessimistic_write');
    const row = await query.getOne();
    return row && InvoiceMapper.toDomain(row, row.lines ?? []);
  }
}

const INVOICE_EVENTS = Symbol('invoice history');

const sortLines = (lines: InvoiceLineEntity[]) => lines.sort((a, b) => a.lineNo - b.lineNo);
