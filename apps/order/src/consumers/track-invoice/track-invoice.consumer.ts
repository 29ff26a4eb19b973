import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  InvoiceDrafted,
  InvoiceIssued,
  InvoiceRejected,
  InvoiceReversalRefused,
  InvoiceReversed,
  type Envelope,
  type PayloadOf,
} from '@fapiao/contracts';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import {
  applyInvoiceProgress,
  applyReversal,
  applyReversalRefusal,
  recordsIssueAfterCancel,
  type InvoiceProgress,
  type ReversalState,
} from '../../domain/order-status';
import type { OrderEntity } from '../../infrastructure/order.entity';
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
  async issued(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceIssued>>,
    @Ctx() context: MessageContext,
  ) {
    const { invoiceId, totals } = envelope.payload;
    const order = await this.find(envelope, context);
    if (!order) return;
    // Cancelled before invoice knew: the status stays (invoice reverses the invoice), the facts are kept.
    if (recordsIssueAfterCancel(order)) {
      await this.orders.update(context.manager, order, { invoiceId, invoicedGross: totals.gross });
      return;
    }
    return this.apply(envelope, context, 'issued', { invoicedGross: totals.gross }, order);
  }

  @EventPattern(onMessage(InvoiceRejected))
  rejected(@Payload() envelope: Envelope<PayloadOf<typeof InvoiceRejected>>, @Ctx() context: MessageContext) {
    const { stage, errors } = envelope.payload;
    return this.apply(envelope, context, 'rejected', { rejection: JSON.stringify({ stage, errors }) });
  }

  @EventPattern(onMessage(InvoiceReversed))
  async reversed(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversed>>,
    @Ctx() context: MessageContext,
  ) {
    const order = await this.find(envelope, context);
    if (!order) return;
    const { fullyReversed, remainingGross } = envelope.payload;
    const next = applyReversal(order, { fullyReversed, remainingGross });
    await this.save(context, order, next, envelope.payload.invoiceId);
  }

  @EventPattern(onMessage(InvoiceReversalRefused))
  async reversalRefused(
    @Payload() envelope: Envelope<PayloadOf<typeof InvoiceReversalRefused>>,
    @Ctx() context: MessageContext,
  ) {
    const order = await this.find(envelope, context);
    if (!order) return;
    const { cause, partiallyReversed, reversalId, code, message } = envelope.payload;
    await this.save(
      context,
      order,
      applyReversalRefusal(order, { cause, partiallyReversed, reversalId, code, message }),
    );
  }

  /** Not ours when missing (another tenant's id can never match: queries are tenant-scoped). */
  private find(envelope: Envelope<{ orderId: string }>, context: MessageContext) {
    return this.orders.findById(envelope.tenantId, envelope.payload.orderId, context.manager);
  }

  private async save(
    context: MessageContext,
    order: OrderEntity,
    next: ReversalState | undefined,
    invoiceId?: string,
  ) {
    if (!next) return;
    await this.orders.update(context.manager, order, {
      // A reversal that overtook InvoiceIssued still names the invoice.
      ...(order.invoiceId === null && invoiceId ? { invoiceId } : {}),
      status: next.status,
      invoicedGross: next.invoicedGross,
      reversalError: next.reversalError,
    });
  }

  private async apply(
    envelope: Envelope<{ orderId: string; invoiceId: string }>,
    context: MessageContext,
    progress: InvoiceProgress,
    change: { rejection?: string; invoicedGross?: string },
    found?: OrderEntity,
  ): Promise<void> {
    const order = found ?? (await this.find(envelope, context));
    if (!order) return;
    const status = applyInvoiceProgress(order.status, progress);
    if (!status) return;
    await this.orders.update(context.manager, order, {
      status,
      invoiceId: envelope.payload.invoiceId,
      ...change,
    });
  }
}
