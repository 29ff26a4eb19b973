/** Order lifecycle (DESIGN.md §4). */
export const ORDER_STATUSES = ['ACCEPTED', 'INVOICING', 'INVOICED', 'INVOICE_REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

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

export const CANCELLABLE: readonly OrderStatus[] = ['ACCEPTED', 'INVOICE_REJECTED'];
