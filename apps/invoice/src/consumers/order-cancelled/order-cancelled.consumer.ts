import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCancelled, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';

/**
 * A cancelled order's invoice is cancelled only if nothing reached the authority (a rejected draft); a
 * submitted or issued invoice cannot be voided — that takes a red-letter reversal.
 */
@Controller()
export class OrderCancelledConsumer {
  constructor(private readonly invoices: InvoiceRepository) {}

  @EventPattern(onMessage(OrderCancelled))
  async handle(
    @Payload() envelope: Envelope<PayloadOf<typeof OrderCancelled>>,
    @Ctx() { manager }: MessageContext,
  ) {
    const invoice = await this.invoices.findByOrder(envelope.tenantId, envelope.payload.orderId, manager);
    if (invoice?.status === 'REJECTED') {
      await this.invoices.transition(manager, invoice, 'CANCELLED', {}, 'the order was cancelled');
    }
  }
}
