import type {
  AuthorityRecord,
  Discrepancy,
  DiscrepancyType,
  ReconOrder,
  ReversalRecord,
} from './reconciliation';

/** What a fact changes on an order's record. */
export type OrderChange = Partial<Omit<ReconOrder, 'orderId' | 'tenantId'>>;

/** One side's report of a red-letter invoice: the invoice service's figures or the authority's. */
export type ReversalSideRecord = Pick<ReversalRecord, 'reversalId' | 'invoiceId' | 'updatedAt'> &
  ({ orderId: string; invoiceGross: string } | { authorityGross: string; authorityNumber: string });

export interface DiscrepancyFilter {
  state: 'open' | 'resolved' | 'all';
  orderId?: string;
  page: number;
  pageSize: number;
}

export interface DiscrepancyPage {
  items: Discrepancy[];
  total: number;
}

/**
 * Port (and DI token) of the ledger. The `lock…` methods and every write must run inside a unit of work;
 * the ledger takes its locks order record first, then its reversals, on every path.
 */
export abstract class ReconciliationRepository {
  /**
   * Records a placed order when nothing is known of it yet (the usual case: one statement); false when its
   * record exists (a fact from another topic came first, or this is a repeat) and nothing was written.
   */
  abstract addPlaced(order: ReconOrder): Promise<boolean>;
  /**
   * Records a batch's placed orders in one statement, for the `addPlaced` that follow in this unit of work
   * (each answered without a statement when every one was new; otherwise each asks for itself).
   */
  abstract addPlacedAhead(orders: ReconOrder[]): Promise<void>;
  /**
   * The order's record, locked; created empty (placedAt null, nothing to judge) when a fact about the
   * order arrives before its OrderPlaced, so no fact is ever dropped for coming first.
   */
  abstract lockOrHold(tenantId: string, orderId: string): Promise<ReconOrder>;
  /** The record of the order the invoice belongs to, locked; null while its InvoiceIssued is unknown. */
  abstract lockByInvoice(invoiceId: string): Promise<ReconOrder | null>;
  /**
   * Locks a batch's order records in one statement, in key order, for the `lockOrHold` that follow in this
   * unit of work (each record's first lock takes it from there).
   */
  abstract lockAhead(orderIds: string[]): Promise<void>;
  /**
   * Locks, in one statement, the records of those invoices whose InvoiceIssued is committed, for the
   * `lockByInvoice` that follow; any other invoice's lock waits for it as `lockByInvoice` does.
   */
  abstract lockAheadByInvoice(invoiceIds: string[]): Promise<void>;
  abstract updateOrders(orderIds: string[], change: OrderChange): Promise<void>;
  /** Each order's own change, in a statement per set of columns changed. */
  abstract updateEachOrder(changes: { orderId: string; change: OrderChange }[]): Promise<void>;
  /** A tenant's order record, for queries. */
  abstract findOrder(tenantId: string, orderId: string): Promise<ReconOrder | null>;

  /**
   * The authority's records of these invoices, by invoice id. With `lock`, waits for a record another
   * transaction is writing, and sees it once committed.
   */
  abstract findAuthorityRecords(
    invoiceIds: string[],
    options: { lock: boolean },
  ): Promise<Map<string, AuthorityRecord>>;
  /**
   * Records what the authority issued; false (nothing written) when the invoice's record exists. Answered
   * without a statement for a record `addAuthorityRecordsAhead` wrote (the first time it is asked).
   */
  abstract addAuthorityRecord(record: AuthorityRecord): Promise<boolean>;
  /**
   * A batch's authority records written in one statement (those that exist are not), for the
   * `addAuthorityRecord` that follow in this unit of work.
   */
  abstract addAuthorityRecordsAhead(records: AuthorityRecord[]): Promise<void>;
  /**
   * Locks the records of the invoices' orders in one statement, waiting for an InvoiceIssued being committed,
   * for the `lockByInvoice` that follow (an invoice no order has yet costs none either).
   */
  abstract lockAheadOfInvoices(invoiceIds: string[]): Promise<void>;

  /**
   * Each invoice's red-letter reversals by reversal id (an invoice without any is absent); `lock` so a
   * report the other side just committed is seen.
   */
  abstract reversalsOf(
    invoiceIds: string[],
    options: { lock: boolean },
  ): Promise<Map<string, ReversalRecord[]>>;
  /** Creates the reversal or fills in this side's figures. */
  abstract saveReversalSide(report: ReversalSideRecord): Promise<void>;

  abstract findDiscrepancy(orderId: string, type: DiscrepancyType): Promise<Discrepancy | null>;
  abstract addDiscrepancy(discrepancy: Discrepancy): Promise<void>;
  /** The drift came back after being repaired: the same discrepancy, open again. */
  abstract reopenDiscrepancy(id: string, found: Pick<Discrepancy, 'detail' | 'detectedAt'>): Promise<void>;
  abstract resolveOpenDiscrepancies(orderIds: string[], resolvedAt: Date): Promise<void>;
  /** A tenant's discrepancies, newest first. */
  abstract listDiscrepancies(tenantId: string, filter: DiscrepancyFilter): Promise<DiscrepancyPage>;

  /*
   * The sweep's candidates, oldest first, locked and skipping records another sweep holds; each leaves out
   * orders that already have the discrepancy it looks for.
   */
  /** Placed before `cutoff`, not cancelled, no terminal invoice yet, never flagged NO_TERMINAL_INVOICE. */
  abstract lockStaleUninvoiced(cutoff: Date, limit: number): Promise<ReconOrder[]>;
  /** Cancelled before `cutoff`, invoice not yet fully reversed, never flagged CANCELLED_NOT_REVERSED. */
  abstract lockStaleUnreversed(cutoff: Date, limit: number): Promise<ReconOrder[]>;
  /**
   * Not cancelled, with a red-letter invoice reported by one side only since before `cutoff`, and no open
   * REVERSAL_ONE_SIDED.
   */
  abstract lockStaleOneSided(cutoff: Date, limit: number): Promise<ReconOrder[]>;
}
