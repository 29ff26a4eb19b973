import type { RedLetterReason, ReversalCause } from '@fapiao/contracts';
import type { ReversalLine, ReversalPlan } from '@fapiao/invoice-domain';
import type { Totals } from './invoice';
import { PENDING_REVERSAL, reversalSerials, type ReversalStatus } from './invoice-status';
import type { ReversalScope } from './reversal-plan';

export interface Refusal {
  code: string;
  message: string;
}

/** The red-letter invoice the authority issued. */
export interface RedInvoice {
  number: string;
  /** Negative figures. */
  totals: Totals;
  issuedAt: Date;
  fileRef: string;
}

export interface ReversalState {
  id: string;
  tenantId: string;
  invoiceId: string;
  cause: ReversalCause;
  kind: 'full' | 'partial';
  reasonCode: RedLetterReason;
  status: ReversalStatus;
  /** The client's Idempotency-Key: the same key answers the same reversal. */
  idempotencyKey: string | null;
  /** The request as accepted: compared on a replay. */
  scope: ReversalScope;
  /** The planned red-letter lines (negative), what later plans build on. */
  lines: readonly ReversalLine[];
  planned: Totals;
  formSerial: string;
  redSerial: string;
  formId: string | null;
  formExpiresAt: Date | null;
  red: RedInvoice | null;
  error: Refusal | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface ReversalRequest {
  tenantId: string;
  invoiceId: string;
  scope: ReversalScope;
  reasonCode: RedLetterReason;
  cause: ReversalCause;
  idempotencyKey?: string;
}

/**
 * One red-letter reversal (红冲) of an invoice: REQUESTED → AWAITING_CONFIRMATION (the buyer's form) →
 * REVERSED, or REFUSED. The intent methods answer false to a redelivered or stale event.
 */
export class Reversal {
  private dirty = false;

  private constructor(private state: ReversalState) {}

  static restore(state: ReversalState): Reversal {
    return new Reversal({ ...state });
  }

  /** Planned against the invoice; ReverseInvoice goes out in the same transaction. */
  static request(id: string, request: ReversalRequest, plan: ReversalPlan, now: Date): Reversal {
    return new Reversal({
      ...Reversal.base(id, request, now),
      status: 'REQUESTED',
      kind: plan.kind,
      lines: plan.lines,
      planned: { net: plan.totals.amount, tax: plan.totals.tax, gross: plan.totals.gross },
    });
  }

  /** Refused before anything was sent (a cancellation whose reversal the rules do not allow). */
  static refuse(id: string, request: ReversalRequest, refusal: Refusal, now: Date): Reversal {
    return new Reversal({
      ...Reversal.base(id, request, now),
      status: 'REFUSED',
      kind: request.scope === 'full' ? 'full' : 'partial',
      lines: [],
      planned: zero,
      error: refusal,
    });
  }

  private static base(id: string, request: ReversalRequest, now: Date) {
    return {
      id,
      tenantId: request.tenantId,
      invoiceId: request.invoiceId,
      cause: request.cause,
      reasonCode: request.reasonCode,
      idempotencyKey: request.idempotencyKey ?? null,
      scope: request.scope,
      ...reversalSerials(id),
      formId: null,
      formExpiresAt: null,
      red: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
  }

  get id(): string {
    return this.state.id;
  }
  get invoiceId(): string {
    return this.state.invoiceId;
  }
  get status(): ReversalStatus {
    return this.state.status;
  }
  get cause(): ReversalCause {
    return this.state.cause;
  }
  get kind(): 'full' | 'partial' {
    return this.state.kind;
  }
  get reasonCode(): RedLetterReason {
    return this.state.reasonCode;
  }
  get red(): RedInvoice | null {
    return this.state.red;
  }
  get pending(): boolean {
    return PENDING_REVERSAL.includes(this.state.status);
  }
  get changed(): boolean {
    return this.dirty;
  }

  snapshot(): Readonly<ReversalState> {
    return this.state;
  }

  /** A replay with the same Idempotency-Key must be the same request. */
  sameRequest(invoiceId: string, reasonCode: string, scope: ReversalScope): boolean {
    return (
      this.state.invoiceId === invoiceId &&
      this.state.reasonCode === reasonCode &&
      JSON.stringify(this.state.scope) === JSON.stringify(scope)
    );
  }

  /** The authority raised the confirmation form: it waits for the buyer. */
  formRaised(formId: string, expiresAt: Date | null): boolean {
    if (this.state.status !== 'REQUESTED') return false;
    this.change({ status: 'AWAITING_CONFIRMATION', formId, formExpiresAt: expiresAt });
    return true;
  }

  /** The red-letter invoice is issued. */
  reversed(formId: string, red: RedInvoice): boolean {
    if (!this.pending) return false;
    this.change({ status: 'REVERSED', formId, red });
    return true;
  }

  /** The authority or the buyer said no, or the flow gave up. */
  refused(refusal: Refusal): boolean {
    if (!this.pending) return false;
    this.change({ status: 'REFUSED', error: refusal });
    return true;
  }

  /** Called by the repository once saved. */
  saved(version: number): void {
    this.state.version = version;
    this.dirty = false;
  }

  private change(change: Partial<ReversalState>): void {
    Object.assign(this.state, change, { updatedAt: new Date() });
    this.dirty = true;
  }
}

const zero: Totals = { net: '0.00', tax: '0.00', gross: '0.00' };
