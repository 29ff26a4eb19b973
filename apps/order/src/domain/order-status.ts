import { compareMoney } from '@fapiao/invoice-domain';

/** Order lifecycle (architecture.md §4), including the red-letter reversal (红冲) of an invoiced order. */
export const ORDER_STATUSES = [
  'ACCEPTED',
  'INVOICING',
  'INVOICED',
  'INVOICE_REJECTED',
  /** Cancel requested on an invoiced order: waiting for the red-letter reversal of what remains. */
  'CANCELLING',
  /** Part of the invoice was reversed; the rest remains invoiced. */
  'PARTIALLY_REVERSED',
  /** The whole invoice was reversed (not by a cancel): nothing remains invoiced. */
  'REVERSED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Red-letter reason codes (RedLetterReason in libs/contracts). */
export type RedLetterReasonCode = '01' | '02' | '03' | '04';

/** The reason the invoice service reverses with when a cancel names none: 02 销货退回. */
export const DEFAULT_CANCEL_REASON: RedLetterReasonCode = '02';

/** What the invoice side reported; events may be redelivered, so applying one twice changes nothing. */
export type InvoiceProgress = 'drafted' | 'issued' | 'rejected';

const NEXT: Record<InvoiceProgress, { from: readonly OrderStatus[]; to: OrderStatus }> = {
  drafted: { from: ['ACCEPTED'], to: 'INVOICING' },
  issued: { from: ['ACCEPTED', 'INVOICING'], to: 'INVOICED' },
  rejected: { from: ['ACCEPTED', 'INVOICING'], to: 'INVOICE_REJECTED' },
};

/** The status after an invoice event, or undefined when the event is stale or repeated. */
export function applyInvoiceProgress(
  current: OrderStatus,
  progress: InvoiceProgress,
): OrderStatus | undefined {
  const rule = NEXT[progress];
  return rule.from.includes(current) ? rule.to : undefined;
}

/** What `POST /v1/orders/:id/cancel` does to an order in a given status. */
export type CancelDecision =
  /** Move to `to` and publish OrderCancelled (with `reasonCode` when there is one). */
  | { kind: 'cancel'; to: 'CANCELLED' | 'CANCELLING'; reasonCode: RedLetterReasonCode | undefined }
  /** Already cancelled or cancelling: answer the order as it is, publish nothing. */
  | { kind: 'unchanged' }
  /** The invoice is in flight: the caller must wait until it is issued or rejected. */
  | { kind: 'refused' };

/**
 * The cancel rules. Nothing invoiced (ACCEPTED, INVOICE_REJECTED, or REVERSED: everything already taken
 * back) → CANCELLED at once. Something invoiced (INVOICED, PARTIALLY_REVERSED) → CANCELLING until invoice
 * reports the red-letter reversal, for the requested reason or 02. An ACCEPTED order's invoice may still be
 * in flight: the requested reason travels so invoice can reverse it once issued.
 */
export function decideCancel(
  current: OrderStatus,
  reasonCode: RedLetterReasonCode | undefined,
): CancelDecision {
  switch (current) {
    case 'ACCEPTED':
    case 'INVOICE_REJECTED':
    case 'REVERSED':
      return { kind: 'cancel', to: 'CANCELLED', reasonCode };
    case 'INVOICED':
    case 'PARTIALLY_REVERSED':
      return { kind: 'cancel', to: 'CANCELLING', reasonCode: reasonCode ?? DEFAULT_CANCEL_REASON };
    case 'CANCELLING':
    case 'CANCELLED':
      return { kind: 'unchanged' };
    case 'INVOICING':
      return { kind: 'refused' };
  }
}

/** What the order keeps about its invoice's reversals. */
export interface ReversalState {
  status: OrderStatus;
  /** What remains invoiced (blue + every red), or null before the invoice was issued. */
  invoicedGross: string | null;
  /** JSON of the last refused cancel-reversal, cleared by a successful one. */
  reversalError: string | null;
}

/** InvoiceReversed, as the order sees it. */
export interface ReversalReport {
  fullyReversed: boolean;
  remainingGross: string;
}

/** InvoiceReversalRefused, as the order sees it. */
export interface ReversalRefusal {
  cause: 'request' | 'order-cancelled';
  partiallyReversed: boolean;
  reversalId: string;
  code: string;
  message: string;
}

/** Statuses in which an invoice has been issued (or, arriving out of order, is being issued). */
const REVERSIBLE: readonly OrderStatus[] = ['ACCEPTED', 'INVOICING', 'INVOICED', 'PARTIALLY_REVERSED'];

/**
 * The state after a red-letter invoice was issued, or undefined when the report is stale or repeated.
 * Each reversal takes something back, so the remaining gross only falls: a report that does not lower it
 * is one already applied. Full: CANCELLING → CANCELLED, invoiced → REVERSED, CANCELLED stays. Partial:
 * INVOICED → PARTIALLY_REVERSED, others keep their status. The remaining gross is always recorded and a
 * stored cancel-reversal error cleared.
 */
export function applyReversal(current: ReversalState, report: ReversalReport): ReversalState | undefined {
  if (current.status === 'INVOICE_REJECTED' || current.status === 'REVERSED') return undefined;
  if (current.invoicedGross !== null) {
    const compared = compareMoney(report.remainingGross, current.invoicedGross);
    if (!compared.ok || compared.value >= 0) return undefined;
  }
  let status: OrderStatus = current.status;
  if (report.fullyReversed) {
    if (current.status === 'CANCELLING') status = 'CANCELLED';
    else if (REVERSIBLE.includes(current.status)) status = 'REVERSED';
  } else if (REVERSIBLE.includes(current.status)) {
    status = 'PARTIALLY_REVERSED';
  }
  return { status, invoicedGross: report.remainingGross, reversalError: null };
}

/**
 * The state after invoice refused a reversal, or undefined when it changes nothing. Only a refused
 * cancel-reversal matters here: a CANCELLING order returns to what remains invoiced (PARTIALLY_REVERSED or
 * INVOICED) with the error recorded; a CANCELLED order (cancelled before its invoice was issued) keeps its
 * status but records the error, since its invoice still stands. A client's own reversal request is
 * answered by invoice's API and leaves the order alone.
 */
export function applyReversalRefusal(
  current: ReversalState,
  refusal: ReversalRefusal,
): ReversalState | undefined {
  if (refusal.cause !== 'order-cancelled') return undefined;
  const reversalError = JSON.stringify({
    code: refusal.code,
    message: refusal.message,
    reversalId: refusal.reversalId,
  });
  if (current.status === 'CANCELLING') {
    const status = refusal.partiallyReversed ? 'PARTIALLY_REVERSED' : 'INVOICED';
    return { status, invoicedGross: current.invoicedGross, reversalError };
  }
  if (current.status === 'CANCELLED' && current.reversalError !== reversalError) {
    return { ...current, reversalError };
  }
  return undefined;
}

/**
 * An invoice issued for an order cancelled before invoice knew of it: the status stays CANCELLED (invoice
 * reverses it), but the order records which invoice and how much, once.
 */
export function recordsIssueAfterCancel(current: { status: OrderStatus; invoiceId: string | null }): boolean {
  return current.status === 'CANCELLED' && current.invoiceId === null;
}
