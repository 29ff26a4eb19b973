import { Injectable } from '@nestjs/common';
import { OrderCancelled } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { UnitOfWork } from '@fapiao/platform/persistence';
import type { RedLetterReasonCode } from '../../domain/order-status';
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository } from '../../domain/order.repository';
import { OrderView } from '../../queries/order.view';

@Injectable()
export class CancelOrderHandler {
  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Applies the cancel rules (Order.cancel). Cancelling a CANCELLING or CANCELLED order is a no-op that
   * answers the order as it is. `mayReverse`: whether the caller may reverse invoices (invoices:reverse),
   * which cancelling an invoiced order does.
   */
  execute(
    tenantId: string,
    orderId: string,
    reasonCode: RedLetterReasonCode | undefined,
    mayReverse: boolean,
  ): Promise<OrderView> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(tenantId, orderId);
      if (!order) throw OrderErrors.notFound(orderId);
      const cancellation = order.cancel(reasonCode, { mayReverse });
      if (!cancellation) return OrderView.from(order);
      await this.orders.save(order);
      await this.outbox.append(OrderCancelled, {
        tenantId,
        key: order.id,
        payload: {
          orderId: order.id,
          ...(cancellation.reasonCode ? { reasonCode: cancellation.reasonCode } : {}),
        },
      });
      return OrderView.from(order);
    });
  }
}
