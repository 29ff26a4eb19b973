import type { PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import type { InvoiceEntity } from '../infrastructure/invoice.entity';
import type { ReversalEntity } from '../infrastructure/reversal.entity';
import type { ReversalScope } from '../domain/reversal-plan';
import { issueInvoiceCommand } from './issue-invoice-command';

/** The ReverseInvoice command for a reversal: rebuilt identically on every retry (same serials, same scope). */
export function reverseInvoiceCommand(
  invoice: InvoiceEntity,
  reversal: ReversalEntity,
): PayloadOf<typeof ReverseInvoice> {
  const blue = issueInvoiceCommand(invoice);
  return {
    invoiceId: invoice.id,
    reversalId: reversal.id,
    formSerial: reversal.formSerial,
    redSerial: reversal.redSerial,
    blueNumber: invoice.number as string,
    reasonCode: reversal.reasonCode,
    scope: JSON.parse(reversal.scope) as ReversalScope,
    invoiceType: blue.invoiceType,
    seller: blue.seller,
    buyer: blue.buyer,
    blueLines: blue.lines,
  };
}
