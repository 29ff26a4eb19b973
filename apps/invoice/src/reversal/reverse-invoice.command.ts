import type { PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import type { Invoice } from '../domain/invoice';
import type { Reversal } from '../domain/reversal';
import { issueInvoiceCommand } from '../issuance/issue-invoice.command';

/** The ReverseInvoice command for a reversal: rebuilt identically on every retry (same serials, same scope). */
export function reverseInvoiceCommand(
  invoice: Invoice,
  reversal: Reversal,
): PayloadOf<typeof ReverseInvoice> {
  const blue = issueInvoiceCommand(invoice);
  const { id, formSerial, redSerial, reasonCode, scope } = reversal.snapshot();
  return {
    invoiceId: invoice.id,
    reversalId: id,
    formSerial,
    redSerial,
    blueNumber: invoice.number as string,
    reasonCode,
    scope,
    invoiceType: blue.invoiceType,
    seller: blue.seller,
    buyer: blue.buyer,
    blueLines: blue.lines,
  };
}
