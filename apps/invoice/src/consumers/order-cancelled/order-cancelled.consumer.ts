import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCancelled, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import type { InvoiceStatus } from '../../domain/invoice-status';
import { InvoiceRepository } from '../../infrastructure/invoice.repository';
import { ReversalStarter } from '../../saga/reversal-starter';

/** Without a reason, a cancelled order's goods go back: 02 销货退回. */
const DEFAULT_CANCEL_REASON = '02';

/** Invoices that reached (or may reach) the authority: only a red-letter reversal undoes them. */
const TO_REVERSE: readonly InvoiceStatus[] = ['DRAFT', 'SUBMITTED', 'ISSUED', 'PARTIALLY_REVERSED'];

/**
 * A cancelled order's invoice is cancelled if nothing reached the authority (a rejected draft). An issued
 * e-invoice cannot be voided: what remains of it is reversed with a red-letter invoice — now, or once an
 * invoice still on its way is issued or a running reversal ends.
 */
@Controller()
export class OrderCancelledConsumer {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly starter: ReversalStarter,
  ) {}

  @EventPattern(onMessage(OrderCancelled))
  async handle(
    @Payload() envelope: Envelope<PayloadOf<typeof OrderCancelled>>,
    @Ctx() { manager }: MessageContext,
  ) {
    const found = await this.invoices.findByOrder(envelope.tenantId, envelope.payload.orderId, manager);
    if (!found) return;
    annotateActiveSpan({ orderId: found.orderId, invoiceId: found.id });
    const invoice = await this.invoices.lock(manager, envelope.tenantId, found.id);
    if (!invoice) return;
    if (invoice.status === 'REJECTED') {
      await this.invoices.transition(manager, invoice, 'CANCELLED', {}, 'the order was cancelled');
      return;
    }
    if (!TO_REVERSE.includes(invoice.status)) return;
    const reasonCode = envelope.payload.reasonCode ?? DEFAULT_CANCEL_REASON;
    await this.invoices.setCancelReason(manager, invoice, reasonCode);
    await this.starter.reverseIfCancelled(manager, invoice, envelope);
  }
}
