import type { PayloadOf, IssueInvoice } from '@fapiao/contracts';
import type { InvoiceEntity } from '../infrastructure/invoice.entity';

/** The IssueInvoice command for an invoice: rebuilt identically on every retry (same serial, same lines). */
export function issueInvoiceCommand(invoice: InvoiceEntity): PayloadOf<typeof IssueInvoice> {
  return {
    invoiceId: invoice.id,
    serial: invoice.serial,
    invoiceType: invoice.invoiceType,
    seller: { taxId: invoice.sellerTaxId },
    buyer: { name: invoice.buyerName, ...(invoice.buyerTaxId ? { taxId: invoice.buyerTaxId } : {}) },
    lines: (invoice.lines ?? []).map((line) => ({
      lineNo: line.lineNo,
      name: line.name,
      taxCode: line.taxCode,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
      priceIncludesTax: line.priceIncludesTax,
      net: line.net,
      tax: line.tax,
      gross: line.gross,
    })),
    totals: {
      net: invoice.totalNet ?? '0.00',
      tax: invoice.totalTax ?? '0.00',
      gross: invoice.totalGross ?? '0.00',
    },
  };
}
