/** Order lifecycle (DESIGN.md §4). */
export const ORDER_STATUSES = [
  'ACCEPTED',
  'INVOICING',
  'INVOICED',
  'INVOICE_REJECTED',
  'CANCELLED',
  'REVERSING',
  'REVERSED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
