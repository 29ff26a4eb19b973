/** The red-letter saga's identity, steps and data (shared by the saga and what starts it). */
export const REVERSAL_SAGA = 'invoice-reversal';

/** Steps: ReverseInvoice sent; the confirmation form awaits the buyer. */
export const REVERSAL_STEPS = {
  awaitingAuthority: 'AWAITING_AUTHORITY',
  awaitingConfirmation: 'AWAITING_CONFIRMATION',
} as const;

export interface ReversalData {
  reversalId: string;
  invoiceId: string;
  orderId: string;
  /** Why the authority (or the buyer) refused, when it did: reported by the compensation. */
  refusal?: { code: string; message: string };
}
