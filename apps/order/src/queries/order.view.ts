import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order-status';
import type { OrderEntity } from '../infrastructure/order.entity';

export class OrderView {
  @ApiProperty() id: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty() invoiceType: string;
  @ApiPropertyOptional({ nullable: true }) invoiceId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Field-level reasons when the invoice was rejected' })
  rejection: unknown;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static from(order: OrderEntity): OrderView {
    return {
      id: order.id,
      externalId: order.externalId,
      status: order.status,
      invoiceType: order.invoiceType,
      invoiceId: order.invoiceId,
      rejection: order.rejection ? JSON.parse(order.rejection) : null,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
  }
}
