/**
 * DRAFT: validated, about to be submitted. SUBMITTED: IssueInvoice sent, outcome pending (possibly
 * unknown at the authority). ISSUED: the authority's number is known. REJECTED: by validation or by
 * the authority. CANCELLED: the order was cancelled before anything was submitted.
 */
export const INVOICE_STATUSES = ['DRAFT', 'SUBMITTED', 'ISSUED', 'REJECTED', 'CANCELLED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The authority's submission serial: derived once from the invoice id, so it is never regenerated. */
export const submissionSerial = (invoiceId: string): string =>
  `FP${invoiceId.replace(/-/g, '').toUpperCase()}`;
