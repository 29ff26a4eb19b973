import type { Invoice } from './invoice';
import type { InvoiceStatus } from './invoice-status';

export interface InvoiceFilter {
  orderId?: string;
  status?: InvoiceStatus;
  page: number;
  pageSize: number;
}

/** One row of an invoice's own history: every status it went through, and why. */
export interface InvoiceHistoryEntry {
  status: InvoiceStatus;
  note: string;
  at: Date;
}

export interface InvoiceKey {
  tenantId: string;
  id: string;
}

export interface OrderKey {
  tenantId: string;
  orderId: string;
}

/**
 * Port (and DI token) of the invoices, in the unit of work's transaction. Every read is tenant-scoped;
 * every saved status change writes a history row.
 */
export abstract class InvoiceRepository {
  abstract findById(tenantId: string, id: string): Promise<Invoice | null>;
  abstract findByOrder(tenantId: string, orderId: string): Promise<Invoice | null>;
  /**
   * Reads these invoices in one statement for a batch of messages: the first `findById` / `findByOrder` of
   * each in the unit of work takes it from there instead of reading it again.
   */
  abstract loadAhead(keys: { ids?: InvoiceKey[]; orders?: OrderKey[] }): Promise<void>;
  /** Reads the invoice and holds its row lock until the unit of work ends. */
  abstract lock(tenantId: string, id: string): Promise<Invoice | null>;
  abstract lockByOrder(tenantId: string, orderId: string): Promise<Invoice | null>;
  abstract list(tenantId: string, filter: InvoiceFilter): Promise<{ items: Invoice[]; total: number }>;
  abstract history(invoiceId: string): Promise<InvoiceHistoryEntry[]>;
  abstract add(invoice: Invoice): Promise<void>;
  /**
   * Writes what changed since it was read, in the open unit of work (by the time it commits): the commit
   * fails with INVOICE.CONCURRENT_UPDATE if another writer got there first.
   */
  abstract save(invoice: Invoice): Promise<void>;
}
