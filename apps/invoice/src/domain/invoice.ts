import Decimal from 'decimal.js';
import type { RedLetterReason } from '@fapiao/contracts';
import { ISSUED_ONCE, REVERSIBLE, submissionSerial, type InvoiceStatus } from './invoice-status';
import { InvoiceErrors } from './invoice.errors';

export interface Totals {
  net: string;
  tax: string;
  gross: string;
}

export interface InvoiceLine {
  lineNo: number;
  name: string;
  taxCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  priceIncludesTax: boolean;
  net: string;
  tax: string;
  gross: string;
}

export interface FieldError {
  code: string;
  message: string;
  field?: string;
}

export interface InvoiceState {
  id: string;
  tenantId: string;
  orderId: string;
  status: InvoiceStatus;
  invoiceType: 'normal' | 'special';
  sellerTaxId: string;
  buyer: { name: string; taxId: string | null };
  lines: readonly InvoiceLine[];
  /** Null for a draft that failed validation. */
  totals: Totals | null;
  uppercaseGross: string | null;
  /** The submission serial the authority deduplicates on: derived once from the id. */
  serial: string;
  number: string | null;
  issuedAt: Date | null;
  fileRef: string | null;
  /** Why it was rejected. */
  errors: readonly FieldError[] | null;
  /** The order was cancelled: what remains is reversed, for this reason, once the invoice allows it. */
  cancelReason: RedLetterReason | null;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic lock, incremented by every save. */
  version: number;
}

/** A status change not saved yet, with the note its history row keeps. */
export interface StatusChange {
  status: InvoiceStatus;
  note: string;
}

interface NewInvoice {
  id: string;
  tenantId: string;
  orderId: string;
  invoiceType: 'normal' | 'special';
  sellerTaxId: string;
  buyer: { name: string; taxId: string | null };
  now: Date;
}

/**
 * The invoice of one order. Its intent methods guard every transition; those that a redelivered message
 * repeats answer false and change nothing, so the flows stay idempotent without checks of their own.
 */
export class Invoice {
  private changes: StatusChange[] = [];
  /** Whether anything changed since the last save. */
  private dirty = false;

  private constructor(private state: InvoiceState) {}

  static restore(state: InvoiceState): Invoice {
    return new Invoice({ ...state });
  }

  /** A validated draft, submitted to the authority at once under its serial (no DRAFT is ever stored). */
  static submit(
    init: NewInvoice & { lines: InvoiceLine[]; totals: Totals; uppercaseGross: string },
  ): Invoice {
    const invoice = Invoice.create(init, 'SUBMITTED');
    Object.assign(invoice.state, {
      lines: init.lines,
      totals: init.totals,
      uppercaseGross: init.uppercaseGross,
    });
    invoice.record('SUBMITTED', `drafted and submitted with serial ${invoice.state.serial}`);
    return invoice;
  }

  /** A draft that failed validation: kept with every failing field, never submitted. */
  static rejectDraft(init: NewInvoice & { errors: FieldError[] }): Invoice {
    const invoice = Invoice.create(init, 'REJECTED');
    invoice.state.errors = init.errors;
    invoice.record('REJECTED', `rejected by validation: ${init.errors.map((e) => e.code).join(', ')}`);
    return invoice;
  }

  private static create(init: NewInvoice, status: InvoiceStatus): Invoice {
    return new Invoice({
      id: init.id,
      tenantId: init.tenantId,
      orderId: init.orderId,
      status,
      invoiceType: init.invoiceType,
      sellerTaxId: init.sellerTaxId,
      buyer: init.buyer,
      lines: [],
      totals: null,
      uppercaseGross: null,
      serial: submissionSerial(init.id),
      number: null,
      issuedAt: null,
      fileRef: null,
      errors: null,
      cancelReason: null,
      createdAt: init.now,
      updatedAt: init.now,
      version: 1,
    });
  }

  get id(): string {
    return this.state.id;
  }
  get tenantId(): string {
    return this.state.tenantId;
  }
  get orderId(): string {
    return this.state.orderId;
  }
  get status(): InvoiceStatus {
    return this.state.status;
  }
  get number(): string | null {
    return this.state.number;
  }
  get lines(): readonly InvoiceLine[] {
    return this.state.lines;
  }
  get totals(): Totals {
    return this.state.totals ?? { net: '0.00', tax: '0.00', gross: '0.00' };
  }
  get cancelReason(): RedLetterReason | null {
    return this.state.cancelReason;
  }
  /** The authority issued it (whatever was reversed since): only red-letter invoices undo it. */
  get issuedOnce(): boolean {
    return ISSUED_ONCE.includes(this.state.status);
  }
  get reversible(): boolean {
    return REVERSIBLE.includes(this.state.status);
  }

  snapshot(): Readonly<InvoiceState> {
    return this.state;
  }

  /**
   * The authority issued it; false when it already had (a redelivered outcome). Its word is the fact: an
   * invoice given up on meanwhile (rejected, cancelled) is issued all the same, and a cancelled order's
   * reversal follows.
   */
  issue(outcome: { number: string; issuedAt: Date; fileRef: string }): boolean {
    if (this.issuedOnce) return false;
    Object.assign(this.state, outcome);
    this.record('ISSUED', `issued by the authority as ${outcome.number}`);
    return true;
  }

  /** The issuance failed for good; false when it is already rejected or cancelled. */
  reject(rejection: FieldError): boolean {
    if (this.state.status === 'REJECTED' || this.state.status === 'CANCELLED') return false;
    if (this.issuedOnce) throw InvoiceErrors.illegalTransition(this.id, this.status, 'REJECTED');
    this.state.errors = [rejection];
    this.record('REJECTED', rejection.message);
    return true;
  }

  /**
   * The order was cancelled. A rejected invoice is cancelled outright (true); one that reached or may
   * reach the authority remembers the reason, for a reversal once it allows one (false).
   */
  orderCancelled(reason: RedLetterReason): boolean {
    if (this.state.status === 'REJECTED') {
      this.record('CANCELLED', 'the order was cancelled');
      return true;
    }
    if (this.state.status === 'SUBMITTED' || this.reversible) this.changeCancelReason(reason);
    return false;
  }

  /** Hands the remembered cancellation over to the reversal that carries it out. */
  takeCancelReason(): RedLetterReason | null {
    const reason = this.state.cancelReason;
    if (reason) this.changeCancelReason(null);
    return reason;
  }

  /**
   * A red-letter invoice was issued against it. `reversedGross` sums every red-letter invoice issued so far
   * (negative); what remains decides between partially and fully reversed. Returns what remains.
   */
  reversed(red: { number: string; formId: string; gross: string }, reversedGross: Decimal): Decimal {
    if (!this.issuedOnce) throw InvoiceErrors.illegalTransition(this.id, this.status, 'REVERSED');
    const remaining = new Decimal(this.totals.gross).plus(reversedGross);
    this.record(
      remaining.lte(0) ? 'REVERSED' : 'PARTIALLY_REVERSED',
      `red-letter invoice ${red.number} (${red.gross}) against form ${red.formId}`,
    );
    return remaining;
  }

  /** The status changes since the last save, oldest first; the repository writes them and clears them. */
  pendingChanges(): readonly StatusChange[] {
    return this.changes;
  }

  get changed(): boolean {
    return this.dirty;
  }

  /** Called by the repository once saved: the next save starts from the stored version. */
  saved(version: number): void {
    this.state.version = version;
    this.changes = [];
    this.dirty = false;
  }

  private record(status: InvoiceStatus, note: string): void {
    this.state.status = status;
    this.state.updatedAt = new Date();
    this.changes.push({ status, note });
    this.dirty = true;
  }

  private changeCancelReason(reason: RedLetterReason | null): void {
    this.state.cancelReason = reason;
    this.state.updatedAt = new Date();
    this.dirty = true;
  }
}
