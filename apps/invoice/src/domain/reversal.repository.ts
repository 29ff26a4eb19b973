import type { Reversal } from './reversal';

/** Port (and DI token) of the reversals, in the unit of work's transaction; reads by id are tenant-scoped. */
export abstract class ReversalRepository {
  abstract findById(tenantId: string, id: string): Promise<Reversal | null>;
  abstract findByIdempotencyKey(tenantId: string, key: string): Promise<Reversal | null>;
  /** Oldest first. */
  abstract listForInvoice(invoiceId: string): Promise<Reversal[]>;
  abstract add(reversal: Reversal): Promise<void>;
  /** Writes what changed since it was read: REVERSAL.CONCURRENT_UPDATE if another writer got there first. */
  abstract save(reversal: Reversal): Promise<void>;
}
