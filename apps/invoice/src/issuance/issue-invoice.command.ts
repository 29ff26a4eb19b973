import type { IssueInvoice, PayloadOf } from '@fapiao/contracts';
import type { Invoice } from '../domain/invoice';

/** The IssueInvoice command for an invoice: rebuilt identically on every retry (same serial, same lines). */
export function issueInvoiceCommand(invoice: Invoice): PayloadOf<typeof IssueInvoice> {
  const { id, serial, invoiceType, sellerTaxId, buyer, lines } = invoice.snapshot();
  return {
    invoiceId: id,
    serial,
    invoiceType,
    seller: { taxId: sellerTaxId },
    buyer: { name: buyer.name, ...(buyer.taxId ? { taxId: buyer.taxId } : {}) },
    lines: lines.map((line) => ({ ...line })),
    totals: invoice.totals,
  };
}
