import type { CreateOrderRequest, InvoiceRejected, PayloadOf } from '@fapiao/contracts';
import {
  applyInvoiceProgress,
  applyReversal,
  applyReversalRefusal,
  decideCancel,
  recordsIssueAfterCancel,
  type OrderStatus,
  type RedLetterReasonCode,
  type ReversalRefusal,
  type ReversalReport,
  type ReversalState,
} from './order-status';
import { OrderErrors } from './order.errors';

/** Why the invoice of the order was rejected, field by field. */
export type InvoiceRejection = Pick<PayloadOf<typeof InvoiceRejected>, 'stage' | 'errors'>;

export interface OrderProps {
  id: string;
  tenantId: string;
  sellerTaxId: string;
  externalId: string;
  invoiceType: CreateOrderRequest['invoiceType'];
  status: OrderStatus;
  /** The accepted request (buyer, lines): the invoice service receives it with OrderPlaced. */
  request: CreateOrderRequest;
  invoiceId: string | null;
  rejection: InvoiceRejection | null;
  /** What remains invoiced: the blue invoice's gross less every red-letter reversal; null before issue. */
  invoicedGross: string | null;
  /** JSON of the last refused cancel-reversal ({code, message, reversalId}), as ReversalState keeps it. */
  reversalError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a cancel that changed the order asks of invoice: OrderCancelled with this reason, if any. */
export interface OrderCancellation {
  reasonCode: RedLetterReasonCode | undefined;
}

/**
 * An order and its lifecycle (order-status.ts). Commands that break a rule throw the order's errors;
 * invoice events may be stale or redelivered, so their methods answer whether anything changed instead.
 */
export class Order {
  private constructor(private props: OrderProps) {}

  /** A new order, accepted for invoicing. */
  static place(props: {
    id: string;
    tenantId: string;
    sellerTaxId: string;
    request: CreateOrderRequest;
    now: Date;
  }): Order {
    return new Order({
      id: props.id,
      tenantId: props.tenantId,
      sellerTaxId: props.sellerTaxId,
      externalId: props.request.externalId,
      invoiceType: props.request.invoiceType,
      status: 'ACCEPTED',
      request: props.request,
      invoiceId: null,
      rejection: null,
      invoicedGross: null,
      reversalError: null,
      createdAt: props.now,
      updatedAt: props.now,
    });
  }

  /** An order as it was stored. */
  static restore(props: OrderProps): Order {
    return new Order({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get tenantId(): string {
    return this.props.tenantId;
  }
  get sellerTaxId(): string {
    return this.props.sellerTaxId;
  }
  get externalId(): string {
    return this.props.externalId;
  }
  get invoiceType(): CreateOrderRequest['invoiceType'] {
    return this.props.invoiceType;
  }
  get status(): OrderStatus {
    return this.props.status;
  }
  get invoiceId(): string | null {
    return this.props.invoiceId;
  }
  get rejection(): InvoiceRejection | null {
    return this.props.rejection;
  }
  get invoicedGross(): string | null {
    return this.props.invoicedGross;
  }
  get reversalError(): string | null {
    return this.props.reversalError;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }

  /** A copy of the whole state, for the mapper. */
  toProps(): Readonly<OrderProps> {
    return { ...this.props };
  }

  /**
   * The cancel rules (decideCancel). Undefined when the order is already CANCELLING or CANCELLED: nothing
   * changes and nothing is to be published. Throws ORDER.NOT_CANCELLABLE while the invoice is in flight,
   * and ORDER.REVERSAL_NOT_PERMITTED when the cancel would reverse an issued invoice (INVOICED,
   * PARTIALLY_REVERSED → CANCELLING) but the caller may not reverse invoices.
   */
  cancel(
    reasonCode?: RedLetterReasonCode,
    { mayReverse = false }: { mayReverse?: boolean } = {},
  ): OrderCancellation | undefined {
    const decision = decideCancel(this.props.status, reasonCode);
    if (decision.kind === 'unchanged') return undefined;
    if (decision.kind === 'refused') throw OrderErrors.notCancellable(this.props.status);
    if (decision.to === 'CANCELLING' && !mayReverse)
      throw OrderErrors.reversalNotPermitted(this.props.status);
    this.props.status = decision.to;
    return { reasonCode: decision.reasonCode };
  }

  /** InvoiceDrafted: ACCEPTED → INVOICING. */
  invoiceDrafted(invoiceId: string): boolean {
    return this.progress('drafted', { invoiceId });
  }

  /**
   * InvoiceIssued: → INVOICED. For an order cancelled before invoice knew of it the status stays (invoice
   * reverses the invoice) but the order records which invoice and how much, once.
   */
  invoiceIssued(invoiceId: string, gross: string): boolean {
    if (recordsIssueAfterCancel(this.props)) {
      Object.assign(this.props, { invoiceId, invoicedGross: gross });
      return true;
    }
    return this.progress('issued', { invoiceId, invoicedGross: gross });
  }

  /** InvoiceRejected: → INVOICE_REJECTED, with the reasons. */
  invoiceRejected(invoiceId: string, rejection: InvoiceRejection): boolean {
    return this.progress('rejected', { invoiceId, rejection });
  }

  /** InvoiceReversed: see applyReversal. A reversal that overtook InvoiceIssued still names the invoice. */
  invoiceReversed(invoiceId: string, report: ReversalReport): boolean {
    const next = applyReversal(this.reversalState(), report);
    if (!next) return false;
    if (this.props.invoiceId === null) this.props.invoiceId = invoiceId;
    Object.assign(this.props, next);
    return true;
  }

  /** InvoiceReversalRefused: see applyReversalRefusal. */
  reversalRefused(refusal: ReversalRefusal): boolean {
    const next = applyReversalRefusal(this.reversalState(), refusal);
    if (!next) return false;
    Object.assign(this.props, next);
    return true;
  }

  private progress(
    progress: 'drafted' | 'issued' | 'rejected',
    change: Partial<Pick<OrderProps, 'invoiceId' | 'invoicedGross' | 'rejection'>>,
  ): boolean {
    const status = applyInvoiceProgress(this.props.status, progress);
    if (!status) return false;
    Object.assign(this.props, { status, ...change });
    return true;
  }

  private reversalState(): ReversalState {
    const { status, invoicedGross, reversalError } = this.props;
    return { status, invoicedGross, reversalError };
  }
}
