import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { updateVersioned } from '@fapiao/platform/persistence';
import type { InvoiceStatus } from '../domain/invoice-status';
import { InvoiceErrors } from '../domain/invoice.errors';
import { InvoiceEventEntity } from './invoice-event.entity';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceEntity } from './invoice.entity';

export interface InvoiceFilter {
  orderId?: string;
  status?: InvoiceStatus;
  page: number;
  pageSize: number;
}

/** Port (and DI token). Every read is tenant-scoped; every status change writes a history row. */
export abstract class InvoiceRepository {
  abstract findById(tenantId: string, id: string, manager?: EntityManager): Promise<InvoiceEntity | null>;
  /** Reads the invoice with its lines and holds its row lock until the transaction ends. */
  abstract lock(manager: EntityManager, tenantId: string, id: string): Promise<InvoiceEntity | null>;
  abstract findByOrder(
    tenantId: string,
    orderId: string,
    manager: EntityManager,
  ): Promise<InvoiceEntity | null>;
  abstract list(tenantId: string, filter: InvoiceFilter): Promise<{ items: InvoiceEntity[]; total: number }>;
  abstract history(invoiceId: string): Promise<InvoiceEventEntity[]>;
  abstract insert(
    manager: EntityManager,
    invoice: InvoiceEntity,
    lines: InvoiceLineEntity[],
    note: string,
  ): Promise<void>;
  /** Records (or clears) a cancelled order's pending reversal; not a status change. */
  abstract setCancelReason(
    manager: EntityManager,
    invoice: InvoiceEntity,
    reasonCode: InvoiceEntity['cancelReasonCode'],
  ): Promise<void>;
  abstract transition(
    manager: EntityManager,
    invoice: InvoiceEntity,
    status: InvoiceStatus,
    change: Partial<InvoiceEntity>,
    note: string,
  ): Promise<void>;
}

@Injectable()
export class TypeOrmInvoiceRepository implements InvoiceRepository {
  constructor(
    @InjectRepository(InvoiceEntity) private readonly invoices: Repository<InvoiceEntity>,
    @InjectRepository(InvoiceEventEntity) private readonly events: Repository<InvoiceEventEntity>,
  ) {}

  findById(tenantId: string, id: string, manager?: EntityManager) {
    return (manager?.getRepository(InvoiceEntity) ?? this.invoices).findOne({
      where: { tenantId, id },
      relations: { lines: true },
      order: { lines: { lineNo: 'ASC' } },
    });
  }

  async lock(manager: EntityManager, tenantId: string, id: string) {
    const locked = await manager
      .getRepository(InvoiceEntity)
      .findOne({ where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
    return locked && this.findById(tenantId, id, manager);
  }

  findByOrder(tenantId: string, orderId: string, manager: EntityManager) {
    return manager.getRepository(InvoiceEntity).findOneBy({ tenantId, orderId });
  }

  async list(tenantId: string, filter: InvoiceFilter) {
    const [items, total] = await this.invoices.findAndCount({
      where: {
        tenantId,
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  history(invoiceId: string) {
    return this.events.find({ where: { invoiceId }, order: { seq: 'ASC' } });
  }

  async insert(manager: EntityManager, invoice: InvoiceEntity, lines: InvoiceLineEntity[], note: string) {
    await manager.insert(InvoiceEntity, { ...invoice, lines: undefined });
    if (lines.length > 0) await manager.insert(InvoiceLineEntity, lines);
    await this.record(manager, invoice.id, invoice.version, invoice.status, note);
  }

  async setCancelReason(
    manager: EntityManager,
    invoice: InvoiceEntity,
    reasonCode: InvoiceEntity['cancelReasonCode'],
  ): Promise<void> {
    const change = { cancelReasonCode: reasonCode, updatedAt: new Date() };
    if (!(await updateVersioned(manager, InvoiceEntity, invoice, change)))
      throw InvoiceErrors.concurrentUpdate(invoice.id);
  }

  async transition(
    manager: EntityManager,
    invoice: InvoiceEntity,
    status: InvoiceStatus,
    change: Partial<InvoiceEntity>,
    note: string,
  ): Promise<void> {
    if (
      !(await updateVersioned(manager, InvoiceEntity, invoice, { ...change, status, updatedAt: new Date() }))
    )
      throw InvoiceErrors.concurrentUpdate(invoice.id);
    await this.record(manager, invoice.id, invoice.version, status, note);
  }

  private async record(
    manager: EntityManager,
    invoiceId: string,
    seq: number,
    status: InvoiceStatus,
    note: string,
  ) {
    await manager.insert(InvoiceEventEntity, {
      invoiceId,
      seq,
      status,
      note: note.slice(0, 500),
      at: new Date(),
    });
  }
}
