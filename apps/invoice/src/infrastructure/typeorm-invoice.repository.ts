import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DeferredUpdates, insertRows, selectRows, UnitOfWork } from '@fapiao/platform/persistence';
import type { Invoice } from '../domain/invoice';
import { InvoiceErrors } from '../domain/invoice.errors';
import {
  InvoiceRepository,
  type InvoiceFilter,
  type InvoiceHistoryEntry,
  type InvoiceKey,
  type OrderKey,
} from '../domain/invoice.repository';
import { InvoiceEventEntity } from './invoice-event.entity';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceMapper } from './invoice.mapper';
import { InvoiceEntity } from './invoice.entity';

interface NewInvoiceRows {
  invoice: InvoiceEntity;
  lines: InvoiceLineEntity[];
}

@Injectable()
export class TypeOrmInvoiceRepository implements InvoiceRepository {
  /** Saved invoices, written in a statement for the unit of work's (see `save`). */
  private readonly updates: DeferredUpdates<InvoiceEntity>;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.updates = new DeferredUpdates(unitOfWork, InvoiceEntity, (ids) =>
      InvoiceErrors.concurrentUpdate(ids.join(', ')),
    );
  }

  async findById(tenantId: string, id: string) {
    const row = this.unitOfWork.recall<InvoiceEntity>(BY_ID, key(tenantId, id));
    if (row !== undefined) return row && InvoiceMapper.toDomain(row, row.lines ?? []);
    return this.findOne({ tenantId, id }, false);
  }

  async findByOrder(tenantId: string, orderId: string) {
    const row = this.unitOfWork.recall<InvoiceEntity>(BY_ORDER, key(tenantId, orderId));
    if (row !== undefined) return row && InvoiceMapper.toDomain(row, row.lines ?? []);
    return this.findOne({ tenantId, orderId }, false);
  }

  async loadAhead({ ids = [], orders = [] }: { ids?: InvoiceKey[]; orders?: OrderKey[] }) {
    if (ids.length === 0 && orders.length === 0) return;
    // By (tenant_id, order_id), the unique key: order_id alone is no index's prefix and scans the table.
    const rows = await this.select(
      [
        ...(ids.length > 0 ? ['id IN (?)'] : []),
        ...(orders.length > 0 ? ['(tenant_id, order_id) IN (?)'] : []),
      ].join(' OR '),
      [
        ...(ids.length > 0 ? [ids.map((k) => k.id)] : []),
        ...(orders.length > 0 ? [orders.map((k) => [k.tenantId, k.orderId])] : []),
      ],
      false,
    );
    const byId = new Map(rows.map((row) => [key(row.tenantId, row.id), row]));
    const byOrder = new Map(rows.map((row) => [key(row.tenantId, row.orderId), row]));
    // Absent is remembered too (null): the read it spares would have found nothing, e.g. a new order's invoice.
    this.unitOfWork.remember(
      BY_ID,
      ids.map((k) => [key(k.tenantId, k.id), byId.get(key(k.tenantId, k.id)) ?? null]),
    );
    this.unitOfWork.remember(
      BY_ORDER,
      orders.map((k) => [key(k.tenantId, k.orderId), byOrder.get(key(k.tenantId, k.orderId)) ?? null]),
    );
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

  /**
   * A new invoice and its lines are written with the unit of work's others in two statements, when it
   * commits or before any read of invoices in it (`select`), whichever comes first.
   */
  async add(invoice: Invoice) {
    const state = invoice.snapshot();
    this.forget(state);
    // Its rows as it is now: the aggregate may change before they are written (and is then saved after them).
    const rows: NewInvoiceRows = {
      invoice: InvoiceMapper.toRow(state),
      lines: InvoiceMapper.toLineRows(state),
    };
    this.unitOfWork.batched(NEW_INVOICES, rows, this.insertInvoices);
    this.record(invoice, state.version);
  }

  private readonly insertInvoices = async (rows: NewInvoiceRows[]) => {
    const manager = this.unitOfWork.transactional('InvoiceRepository.add');
    await insertRows(
      manager,
      InvoiceEntity,
      rows.map((row) => row.invoice),
    );
    await insertRows(
      manager,
      InvoiceLineEntity,
      rows.flatMap((row) => row.lines),
    );
  };

  /**
   * Written with the unit of work's other saved invoices when it commits (or before it reads invoices);
   * another writer's change since the invoice was read fails the commit (INVOICE.CONCURRENT_UPDATE).
   */
  async save(invoice: Invoice) {
    if (!invoice.changed) return;
    // A new invoice not written yet is written first, as added.
    if (
      this.unitOfWork.pending<NewInvoiceRows>(NEW_INVOICES).some((added) => added.invoice.id === invoice.id)
    )
      await this.unitOfWork.flush(NEW_INVOICES);
    const state = invoice.snapshot();
    this.forget(state);
    const row = { id: state.id, version: state.version };
    this.updates.add(row, InvoiceMapper.toChange(state));
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

  /** What was loaded ahead of an invoice being written is stale. */
  private forget(state: { tenantId: string; id: string; orderId: string }) {
    this.unitOfWork.forget(BY_ID, key(state.tenantId, state.id));
    this.unitOfWork.forget(BY_ORDER, key(state.tenantId, state.orderId));
  }

  private readonly insertEvents = (events: InvoiceEventEntity[]) =>
    insertRows(this.unitOfWork.transactional('invoice history'), InvoiceEventEntity, events);

  /** The tenant's invoice by id or order (locking it and its lines when asked). */
  private async findOne(where: { tenantId: string; id?: string; orderId?: string }, forUpdate: boolean) {
    const [row] = where.id
      ? await this.select('id = ? AND tenant_id = ?', [where.id, where.tenantId], forUpdate)
      : await this.select('order_id = ? AND tenant_id = ?', [where.orderId, where.tenantId], forUpdate);
    return row ? InvoiceMapper.toDomain(row, row.lines ?? []) : null;
  }

  /** Invoices matching `condition`, each with its lines in line order: two plain statements. */
  private async select(condition: string, params: unknown[], forUpdate: boolean): Promise<InvoiceEntity[]> {
    // The transaction's own new and saved invoices are found as they are now.
    await this.unitOfWork.flush(NEW_INVOICES);
    await this.updates.flush();
    const manager = this.unitOfWork.manager();
    const lock = forUpdate ? ' FOR UPDATE' : '';
    const invoices = await selectRows(
      manager,
      InvoiceEntity,
      `SELECT * FROM invoices WHERE ${condition}${lock}`,
      params,
    );
    if (invoices.length === 0) return [];
    const lines = await selectRows(
      manager,
      InvoiceLineEntity,
      `SELECT * FROM invoice_lines WHERE invoice_id IN (?) ORDER BY invoice_id, line_no${lock}`,
      [invoices.map((invoice) => invoice.id)],
    );
    for (const invoice of invoices) invoice.lines = lines.filter((line) => line.invoiceId === invoice.id);
    return invoices;
  }
}

const INVOICE_EVENTS = Symbol('invoice history');
const NEW_INVOICES = Symbol('new invoices');
/** Invoice rows loaded ahead (`loadAhead`), by tenant and id, and by tenant and order. */
const BY_ID = Symbol('invoices by id');
const BY_ORDER = Symbol('invoices by order');
const key = (tenantId: string, id: string) => `${tenantId}/${id}`;

const sortLines = (lines: InvoiceLineEntity[]) => lines.sort((a, b) => a.lineNo - b.lineNo);
