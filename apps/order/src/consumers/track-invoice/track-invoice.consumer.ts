import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceDrafted,
  InvoiceIssued,
  InvoiceRejected,
  InvoiceReversalRefused,
  InvoiceReversed,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { onMessage, prefetch } from '@fapiao/platform/messaging';
import type { Order } from '../../domain/order';
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository } from '../../domain/order.repository';

/**
 * Keeps the order's status in step with its invoice; stale or repeated events change nothing. Each event
 * enlists in the runner's unit of work, with its inbox row; a batch's orders are read in one statement first.
 */
@Controller()
export class TrackInvoiceConsumer {
  constructor(private readonly orders: OrderRepository) {}

  @EventPattern(
    prefetch(InvoiceDrafted, InvoiceIssued, InvoiceRejected, InvoiceReversed, InvoiceReversalRefused),
  )
  ordersAhead(@Payload() envelopes: Envelope<{ orderId: string }>[]) {
    return this.orders.loadAhead(
      envelopes.map(({ tenantId, payload }) => ({ tenantId, id: payload.orderId })),
    );
  }

  @EventPattern(onMessage(InvoiceDrafted))
  drafted(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceDrafted>>) {
    return this.apply(envelope, (order) => order.invoiceDrafted(envelope.payload.invoiceId));
  }

  @EventPattern(onMessage(InvoiceIssued))
  issued(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssued>>) {
    const { invoiceId, totals } = envelope.payload;
    return this.apply(envelope, (order) => order.invoiceIssued(invoiceId, totals.gross));
  }

  @EventPattern(onMessage(InvoiceRejected))
  rejected(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejected>>) {
    const { invoiceId, stage, errors } = envelope.payload;
    return this.apply(envelope, (order) => order.invoiceRejected(invoiceId, { stage, errors }));
  }

  @EventPattern(onMessage(InvoiceReversed))
  reversed(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversed>>) {
    const { invoiceId, fullyReversed, remainingGross } = envelope.payload;
    return this.apply(envelope, (order) =>
      order.invoiceReversed(invoiceId, { fullyReversed, remainingGross }),
    );
  }

  @EventPattern(onMessage(InvoiceReversalRefused))
  reversalRefused(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversalRefused>>) {
    const { cause, partiallyReversed, reversalId, code, message } = envelope.payload;
    return this.apply(envelope, (order) =>
      order.reversalRefused({ cause, partiallyReversed, reversalId, code, message }),
    );
  }

  /**
   * Applies the event to its order and saves it if that changed anything. An event naming another
   * tenant's order is refused (poison: dead-lettered, the order untouched); one for no order changes nothing.
   */
  private async apply(envelope: Envelope<{ orderId: string }>, change: (order: Order) => boolean) {
    const { tenantId, payload } = envelope;
    const order = await this.orders.findById(tenantId, payload.orderId);
    if (!order) {
      const owner = await this.orders.tenantOf(payload.orderId);
      if (owner !== null && owner !== tenantId) throw OrderErrors.tenantMismatch(payload.orderId, tenantId);
      return;
    }
    if (change(order)) await this.orders.save(order);
  }
}
