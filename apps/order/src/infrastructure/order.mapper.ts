import type { CreateOrderRequest } from '@fapiao/contracts';
import { Order, type InvoiceRejection } from '../domain/order';
import { OrderEntity } from './order.entity';

/** Between the Order aggregate and its row: the request and the rejection are stored as JSON. */
export const OrderMapper = {
  toDomain(row: OrderEntity): Order {
    return Order.restore({
      id: row.id,
      tenantId: row.tenantId,
      sellerTaxId: row.sellerTaxId,
      externalId: row.externalId,
      invoiceType: row.invoiceType as CreateOrderRequest['invoiceType'],
      status: row.status,
      request: JSON.parse(row.request) as CreateOrderRequest,
      invoiceId: row.invoiceId,
      rejection: row.rejection ? (JSON.parse(row.rejection) as InvoiceRejection) : null,
      invoicedGross: row.invoicedGross,
      reversalError: row.reversalError,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  },

  /** The row of `order`; its version is the caller's (1 for a new order). */
  toPersistence(order: Order, version: number): OrderEntity {
    const props = order.toProps();
    const row = new OrderEntity();
    row.id = props.id;
    row.tenantId = props.tenantId;
    row.sellerTaxId = props.sellerTaxId;
    row.externalId = props.externalId;
    row.status = props.status;
    row.invoiceType = props.invoiceType;
    row.request = JSON.stringify(props.request);
    row.invoiceId = props.invoiceId;
    row.rejection = props.rejection ? JSON.stringify(props.rejection) : null;
    row.invoicedGross = props.invoicedGross;
    row.reversalError = props.reversalError;
    row.createdAt = props.createdAt;
    row.updatedAt = props.updatedAt;
    row.version = version;
    return row;
  },
};
