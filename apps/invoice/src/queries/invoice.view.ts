import { z } from 'zod';
import { InvoiceType } from '@fapiao/contracts';
import { pageOf } from '@fapiao/platform/http';
import { INVOICE_STATUSES } from '../domain/invoice-status';
import type { Invoice } from '../domain/invoice';
import type { InvoiceHistoryEntry } from '../domain/invoice.repository';
import type { Reversal } from '../domain/reversal';
import { ReversalView, ReversalViewSchema } from './reversal.view';

const Amount = (example: string) => z.string().meta({ example });

const TotalsSchema = z.object({ net: Amount('943.40'), tax: Amount('56.60'), gross: Amount('1000.00') });

/** An invoice as the list answers it. */
export const InvoiceSummaryViewSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(INVOICE_STATUSES),
  invoiceType: InvoiceType,
  number: z.string().nullable().describe("The authority's 20-digit number once issued"),
  serial: z.string(),
  totals: TotalsSchema.nullable(),
  uppercaseGross: z.string().nullable().describe('价税合计（大写）'),
  issuedAt: z.iso.datetime().nullable(),
  errors: z.unknown().describe('Field-level reasons of a rejection, else null'),
});
export type InvoiceSummaryView = z.infer<typeof InvoiceSummaryViewSchema>;

export const InvoiceSummaryView = {
  from(invoice: Invoice): InvoiceSummaryView {
    const state = invoice.snapshot();
    return {
      id: state.id,
      orderId: state.orderId,
      status: state.status,
      invoiceType: state.invoiceType,
      number: state.number,
      serial: state.serial,
      totals: state.totals,
      uppercaseGross: state.uppercaseGross,
      issuedAt: state.issuedAt?.toISOString() ?? null,
      errors: state.errors,
    };
  },
};

/** An invoice with its lines, history and reversals. */
export const InvoiceViewSchema = InvoiceSummaryViewSchema.extend({
  sellerTaxId: z.string(),
  buyer: z
    .object({ name: z.string(), taxId: z.string().nullable() })
    .describe('Buyer as invoiced (personal data: never logged or traced)'),
  fileRef: z.string().nullable(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      name: z.string(),
      taxCode: z.string(),
      quantity: z.string(),
      unitPrice: z.string(),
      taxRate: z.string(),
      priceIncludesTax: z.boolean(),
      net: z.string(),
      tax: z.string(),
      gross: z.string(),
    }),
  ),
  history: z.array(z.object({ status: z.enum(INVOICE_STATUSES), note: z.string(), at: z.iso.datetime() })),
  reversals: z.array(ReversalViewSchema).describe('Red-letter reversals, oldest first'),
});
export type InvoiceView = z.infer<typeof InvoiceViewSchema>;

export const InvoiceView = {
  withDetails(invoice: Invoice, history: InvoiceHistoryEntry[], reversals: Reversal[]): InvoiceView {
    const state = invoice.snapshot();
    return {
      ...InvoiceSummaryView.from(invoice),
      sellerTaxId: state.sellerTaxId,
      buyer: state.buyer,
      fileRef: state.fileRef,
      lines: state.lines.map((line) => ({ ...line })),
      history: history.map((event) => ({
        status: event.status,
        note: event.note,
        at: event.at.toISOString(),
      })),
      reversals: reversals.map((reversal) => ReversalView.from(reversal)),
    };
  },
};

export const InvoicePageSchema = pageOf(InvoiceSummaryViewSchema);
export type InvoicePage = z.infer<typeof InvoicePageSchema>;
