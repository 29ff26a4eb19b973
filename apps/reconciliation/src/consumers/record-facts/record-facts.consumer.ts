import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceIssued,
  InvoiceIssuedByAuthority,
  InvoiceRejected,
  OrderCancelled,
  OrderPlaced,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { validateInvoiceDraft } from '@fapiao/invoice-domain';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { LedgerService } from '../../ledger.service';

/** Every fact reconciliation needs, from the order, invoice and tax-bridge topics. */
@Controller()
export class RecordFactsConsumer {
  constructor(private readonly ledger: LedgerService) {}

  @EventPattern(onMessage(OrderPlaced))
  placed(@Payload() envelope: Envelope<PayloadOf<typeof OrderPlaced>>, @Ctx() { manager }: MessageContext) {
    const order = envelope.payload;
    annotateActiveSpan({ orderId: order.orderId });
    // The order's own total, recomputed independently of the invoice service.
    const computed = validateInvoiceDraft({
      invoiceType: order.invoiceType,
      seller: { name: '-', taxId: order.seller.taxId },
      buyer: order.buyer,
      lines: order.lines,
    });
    return this.ledger.orderPlaced(
      manager,
      envelope,
      order.orderId,
      computed.ok ? computed.value.totals.gross : null,
    );
  }

  @EventPattern(onMessage(OrderCancelled))
  cancelled(
    @Payload() envelope: Envelope<PayloadOf<typeof OrderCancelled>>,
    @Ctx() { manager }: MessageContext,
  ) {
    return this.ledger.orderCancelled(manager, envelope, envelope.payload.orderId);
  }

  @EventPattern(onMessage(InvoiceIssued))
  issued(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssued>>, @Ctx() { manager }: MessageContext) {
    const { orderId, invoiceId, totals } = envelope.payload;
    annotateActiveSpan({ orderId, invoiceId });
    return this.ledger.invoiceIssued(manager, envelope, orderId, invoiceId, totals.gross);
  }

  @EventPattern(onMessage(InvoiceRejected))
  rejected(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejected>>,
    @Ctx() { manager }: MessageContext,
  ) {
    return this.ledger.invoiceRejected(manager, envelope.payload.orderId, envelope.payload.invoiceId);
  }

  @EventPattern(onMessage(InvoiceIssuedByAuthority))
  authority(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssuedByAuthority>>,
    @Ctx() { manager }: MessageContext,
  ) {
    const { invoiceId, number, totalGross, issuedAt } = envelope.payload;
    return this.ledger.authorityIssued(manager, envelope, {
      invoiceId,
      number,
      totalGross,
      issuedAt: new Date(issuedAt),
    });
  }
}
