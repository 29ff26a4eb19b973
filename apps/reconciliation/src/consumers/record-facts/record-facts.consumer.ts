import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceIssued,
  InvoiceIssuedByAuthority,
  InvoiceRejected,
  InvoiceReversalRefused,
  InvoiceReversed,
  InvoiceReversedByAuthority,
  OrderCancelled,
  OrderPlaced,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { validateInvoiceDraft } from '@fapiao/invoice-domain';
import { onMessage, prefetch } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import type { AuthorityRecord } from '../../domain/reconciliation';
import { LedgerService } from '../../ledger.service';

/**
 * Every fact reconciliation needs, from the order, invoice and tax-bridge topics; the ledger enlists in the
 * runner's unit of work, with the inbox row. A batch's order records are locked in one statement first.
 */
@Controller()
export class RecordFactsConsumer {
  constructor(private readonly ledger: LedgerService) {}

  @EventPattern(prefetch(InvoiceIssued, InvoiceRejected, InvoiceReversed))
  ordersAhead(@Payload() envelopes: Envelope<{ orderId: string }>[]) {
    return this.ledger.ordersAhead(envelopes.map((envelope) => envelope.payload.orderId));
  }

  @EventPattern(prefetch(InvoiceReversedByAuthority))
  ordersOfInvoicesAhead(@Payload() envelopes: Envelope<{ invoiceId: string }>[]) {
    return this.ledger.ordersOfInvoicesAhead(envelopes.map((envelope) => envelope.payload.invoiceId));
  }

  @EventPattern(prefetch(InvoiceIssuedByAuthority))
  authorityRecordsAhead(@Payload() envelopes: Envelope<PayloadOf<typeof InvoiceIssuedByAuthority>>[]) {
    return this.ledger.authorityIssuedAhead(envelopes.map((envelope) => authorityRecord(envelope.payload)));
  }

  @EventPattern(prefetch(OrderPlaced))
  placedAhead(@Payload() envelopes: Envelope<PayloadOf<typeof OrderPlaced>>[]) {
    return this.ledger.ordersPlacedAhead(
      envelopes.map((envelope) => ({
        envelope,
        orderId: envelope.payload.orderId,
        expectedGross: expectedGross(envelope.payload),
      })),
    );
  }

  @EventPattern(onMessage(OrderPlaced))
  placed(@Payload() envelope: Envelope<PayloadOf<typeof OrderPlaced>>) {
    const order = envelope.payload;
    annotateActiveSpan({ orderId: order.orderId });
    return this.ledger.orderPlaced(envelope, order.orderId, expectedGross(order));
  }

  @EventPattern(onMessage(OrderCancelled))
  cancelled(@Payload() envelope: Envelope<PayloadOf<typeof OrderCancelled>>) {
    return this.ledger.orderCancelled(envelope, envelope.payload.orderId);
  }

  @EventPattern(onMessage(InvoiceIssued))
  issued(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssued>>) {
    const { orderId, invoiceId, totals } = envelope.payload;
    annotateActiveSpan({ orderId, invoiceId });
    return this.ledger.invoiceIssued(envelope, orderId, invoiceId, totals.gross);
  }

  @EventPattern(onMessage(InvoiceRejected))
  rejected(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejected>>) {
    return this.ledger.invoiceRejected(envelope, envelope.payload.orderId, envelope.payload.invoiceId);
  }

  @EventPattern(onMessage(InvoiceReversed))
  reversed(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversed>>) {
    const { orderId, invoiceId, reversalId, totals } = envelope.payload;
    annotateActiveSpan({ orderId, invoiceId });
    return this.ledger.reversalReported(envelope, {
      side: 'invoice',
      reversalId,
      invoiceId,
      orderId,
      gross: totals.gross,
    });
  }

  @EventPattern(onMessage(InvoiceReversalRefused))
  async reversalRefused(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversalRefused>>) {
    const { orderId, invoiceId, cause } = envelope.payload;
    annotateActiveSpan({ orderId, invoiceId });
    // Only a refused cancel matters: the order is invoiced again. A client's refused request changed nothing.
    if (cause !== 'order-cancelled') return;
    await this.ledger.cancelReversalRefused(envelope, orderId);
  }

  @EventPattern(onMessage(InvoiceReversedByAuthority))
  reversedByAuthority(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversedByAuthority>>) {
    const { invoiceId, reversalId, number, totals } = envelope.payload;
    annotateActiveSpan({ invoiceId });
    return this.ledger.reversalReported(envelope, {
      side: 'authority',
      reversalId,
      invoiceId,
      gross: totals.gross,
      number,
    });
  }

  @EventPattern(onMessage(InvoiceIssuedByAuthority))
  authority(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssuedByAuthority>>) {
    return this.ledger.authorityIssued(envelope, authorityRecord(envelope.payload));
  }
}

function authorityRecord(issued: PayloadOf<typeof InvoiceIssuedByAuthority>): AuthorityRecord {
  const { invoiceId, number, totalGross, issuedAt } = issued;
  return { invoiceId, number, totalGross, issuedAt: new Date(issuedAt) };
}

/** Computed once per message: its batch's `placedAhead` and its own handler both need it. */
const expectedGrossOf = new WeakMap<PayloadOf<typeof OrderPlaced>, string | null>();

/** The order's own total, recomputed independently of the invoice service; null if the order is invalid. */
function expectedGross(order: PayloadOf<typeof OrderPlaced>): string | null {
  if (expectedGrossOf.has(order)) return expectedGrossOf.get(order) ?? null;
  const gross = computeGross(order);
  expectedGrossOf.set(order, gross);
  return gross;
}

function computeGross(order: PayloadOf<typeof OrderPlaced>): string | null {
  const computed = validateInvoiceDraft({
    invoiceType: order.invoiceType,
    seller: { name: '-', taxId: order.seller.taxId },
    buyer: order.buyer,
    lines: order.lines,
  });
  return computed.ok ? computed.value.totals.gross : null;
}
