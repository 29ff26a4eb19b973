import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order-status';
import type { OrderEntity } from '../infrastructure/order.entity';

export class ReversalErrorView {
  @ApiProperty({ example: 'INVOICE.REVERSAL_REFUSED' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty() reversalId: string;
}

export class OrderView {
  @ApiProperty() id: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty() invoiceType: string;
  @ApiPropertyOptional({ nullable: true }) invoiceId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Field-level reasons when the invoice was rejected' })
  rejection: unknown;
  @ApiPropertyOptional({
    nullable: true,
    example: '1060.00',
    description:
      'What remains invoiced: the issued invoice gross less every red-letter reversal ("0.00" once fully reversed); null before issue',
  })
  invoicedGross: string | null;
  @ApiPropertyOptional({
    type: ReversalErrorView,
    nullable: true,
    description:
      'Why the red-letter reversal requested by the last cancel was refused; cleared when a reversal succeeds',
  })
  reversalError: ReversalErrorView | null;
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
      invoicedGross: order.invoicedGross ?? null,
      reversalError: order.reversalError ? (JSON.parse(order.reversalError) as ReversalErrorView) : null,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
  }
}
