import { z } from 'zod';
import { InvoiceType } from '@fapiao/contracts';
import { pageOf } from '@fapiao/platform/http';
import { ORDER_STATUSES } from '../domain/order-status';
import type { Order } from '../domain/order';

const ReversalErrorSchema = z.object({
  code: z.string().meta({ example: 'INVOICE.REVERSAL_REFUSED' }),
  message: z.string(),
  reversalId: z.uuid(),
});
export type ReversalErrorView = z.infer<typeof ReversalErrorSchema>;

/** An order as the API answers it (create, cancel, get, list). */
export const OrderViewSchema = z.object({
  id: z.uuid(),
  externalId: z.string().meta({ example: 'ERP-2026-000123' }),
  status: z.enum(ORDER_STATUSES),
  invoiceType: InvoiceType,
  invoiceId: z.uuid().nullable(),
  rejection: z.unknown().describe('Field-level reasons when the invoice was rejected, else null'),
  invoicedGross: z.string().nullable().meta({
    example: '1060.00',
    description:
      'What remains invoiced: the issued invoice gross less every red-letter reversal ("0.00" once fully reversed); null before issue',
  }),
  reversalError: ReversalErrorSchema.nullable().describe(
    'Why the red-letter reversal requested by the last cancel was refused; cleared when a reversal succeeds',
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

export const OrderView = {
  from(order: Order): OrderView {
    return {
      id: order.id,
      externalId: order.externalId,
      status: order.status,
      invoiceType: order.invoiceType as OrderView['invoiceType'],
      invoiceId: order.invoiceId,
      rejection: order.rejection,
      invoicedGross: order.invoicedGross ?? null,
      reversalError: order.reversalError ? (JSON.parse(order.reversalError) as ReversalErrorView) : null,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
  },
};

export const OrderPageSchema = pageOf(OrderViewSchema);
export type OrderPage = z.infer<typeof OrderPageSchema>;
