import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderCancelled } from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import { CANCELLABLE } from '../../domain/order-status';
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

  /** Cancelling twice is a no-op that answers the cancelled order. */
  async execute(tenantId: string, orderId: string): Promise<OrderView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const order = await this.orders.findById(tenantId, orderId, manager);
      if (!order) throw OrderErrors.notFound(orderId);
      if (order.status === 'CANCELLED') return OrderView.from(order);
      if (!CANCELLABLE.includes(order.status)) throw OrderErrors.notCancellable(order.status);
      await this.orders.update(manager, order, { status: 'CANCELLED' });
      await this.outbox.append(manager, OrderCancelled, {
        tenantId,
        key: order.id,
        payload: { orderId: order.id },
      });
      return OrderView.from(order);
    });
    this.outbox.notifyCommitted();
    return view;
  }
}
