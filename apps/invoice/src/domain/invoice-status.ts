/**
 * SUBMITTED: validated and IssueInvoice sent in the same transaction, outcome pending (possibly unknown
 * at the authority). ISSUED: the authority's number is known. PARTIALLY_REVERSED / REVERSED:
 * red-letter invoices took back part or all of it. REJECTED: by validation or by the authority.
 * CANCELLED: the order was cancelled before anything was submitted.
 */
export const INVOICE_STATUSES = [
  'SUBMITTED',
  'ISSUED',
  'PARTIALLY_REVERSED',
  'REVERSED',
  'REJECTED',
  'CANCELLED',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** An issued invoice that red-letter invoices may still reverse (part of). */
export const REVERSIBLE: readonly InvoiceStatus[] = ['ISSUED', 'PARTIALLY_REVERSED'];

/** The authority issued it (whatever was reversed since): it can never be voided. */
export const ISSUED_ONCE: readonly InvoiceStatus[] = [...REVERSIBLE, 'REVERSED'];

/**
 * REQUESTED: ReverseInvoice sent. AWAITING_CONFIRMATION: the confirmation form waits for the buyer.
 * REVERSED: the red-letter invoice is issued. REFUSED: the authority or the buyer said no.
 */
export const REVERSAL_STATUSES = ['REQUESTED', 'AWAITING_CONFIRMATION', 'REVERSED', 'REFUSED'] as const;
export type ReversalStatus = (typeof REVERSAL_STATUSES)[number];
export const PENDING_REVERSAL: readonly ReversalStatus[] = ['REQUESTED', 'AWAITING_CONFIRMATION'];

/** The authority's submission serial: derived once from the invoice id, so it is never regenerated. */
export const submissionSerial = (invoiceId: string): string => `FP${compact(invoiceId)}`;

/** A reversal's confirmation-form and red-letter-invoice serials, derived once from the reversal id. */
export const reversalSerials = (reversalId: string) => ({
  formSerial: `RF${compact(reversalId)}`,
  redSerial: `RI${compact(reversalId)}`,
});

const compact = (id: string) => id.replace(/-/g, '').toUpperCase();
