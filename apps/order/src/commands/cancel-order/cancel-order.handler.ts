import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderCancelled } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { decideCancel, type RedLetterReasonCode } from '../../domain/order-status';
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderView } from '../../queries/order.view';

@Injectable()
export class CancelOrderHandler {
  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Applies the cancel rules (decideCancel). Cancelling a CANCELLING or CANCELLED order is a no-op that
   * answers the order as it is.
   */
  async execute(tenantId: string, orderId: string, reasonCode?: RedLetterReasonCode): Promise<OrderView> {
    let published = false;
    const view = await this.dataSource.transaction(async (manager) => {
      const order = await this.orders.findById(tenantId, orderId, manager);
      if (!order) throw OrderErrors.notFound(orderId);
      const decision = decideCancel(order.status, reasonCode);
      if (decision.kind === 'unchanged') return OrderView.from(order);
      if (decision.kind === 'refused') throw OrderErrors.notCancellable(order.status);
      await this.orders.update(manager, order, { status: decision.to });
      await this.outbox.append(manager, OrderCancelled, {
        tenantId,
        key: order.id,
        payload: {
          orderId: order.id,
          ...(decision.reasonCode ? { reasonCode: decision.reasonCode } : {}),
        },
      });
      published = true;
      return OrderView.from(order);
    });
    if (published) this.outbox.notifyCommitted();
    return view;
  }
}
