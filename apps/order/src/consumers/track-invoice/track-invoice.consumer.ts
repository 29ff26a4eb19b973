import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceDrafted,
  InvoiceIssued,
  InvoiceRejected,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import { applyInvoiceProgress, type InvoiceProgress } from '../../domain/order-status';
import { OrderRepository } from '../../infrastructure/order.repository';

/** Keeps the order's status in step with its invoice; stale or repeated events change nothing. */
@Controller()
export class TrackInvoiceConsumer {
  constructor(private readonly orders: OrderRepository) {}

  @EventPattern(onMessage(InvoiceDrafted))
  drafted(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceDrafted>>, @Ctx() context: MessageContext) {
    return this.apply(envelope, context, 'drafted', {});
  }

  @EventPattern(onMessage(InvoiceIssued))
  issued(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssued>>, @Ctx() context: MessageContext) {
    return this.apply(envelope, context, 'issued', {});
  }

  @EventPattern(onMessage(InvoiceRejected))
  rejected(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejected>>, @Ctx() context: MessageContext) {
    const { stage, errors } = envelope.payload;
    return this.apply(envelope, context, 'rejected', { rejection: JSON.stringify({ stage, errors }) });
  }

  private async apply(
    envelope: Envelope<{ orderId: string; invoiceId: string }>,
    context: MessageContext,
    progress: InvoiceProgress,
    change: { rejection?: string },
  ): Promise<void> {
    const order = await this.orders.findById(envelope.tenantId, envelope.payload.orderId, context.manager);
    if (!order) return; // not ours (another tenant's id can never match: queries are tenant-scoped)
    const status = applyInvoiceProgress(order.status, progress);
    if (!status) return;
    await this.orders.update(context.manager, order, {
      status,
      invoiceId: envelope.payload.invoiceId,
      ...change,
    });
  }
}
