import type { CreateOrderRequest } from '@fapiao/contracts';
import { validateInvoiceDraft } from '@fapiao/invoice-domain';
import { OrderErrors } from './order.errors';

/**
 * Refuses at intake an order whose invoice the invoice service would reject: the very draft validation
 * of `@fapiao/invoice-domain` that invoice runs (issuance.process.ts), with the same default rate table,
 * so a client learns every failing field and its code at once instead of from INVOICE_REJECTED minutes
 * later. Pure and in memory (no lookup): intake stays on its hot path. The seller's name is not part of an
 * order (the tenant's, filled in downstream), so a placeholder stands in for it, as in invoice.
 */
export function assertInvoiceable(sellerTaxId: string, request: CreateOrderRequest): void {
  const validated = validateInvoiceDraft({
    invoiceType: request.invoiceType,
    seller: { name: '-', taxId: sellerTaxId },
    buyer: request.buyer,
    lines: request.lines,
  });
  if (validated.ok) return;
  const errors = validated.error.errors.map(({ code, message, field }) => ({
    code,
    message,
    ...(field === undefined ? {} : { field }),
  }));
  throw OrderErrors.notInvoiceable(validated.error.message, errors);
}
