import { z } from 'zod';
import { Decimal, InvoiceType, LineInput, Money, Party, RedLetterReason } from './primitives';

/** `POST /v1/orders` body; the seller is the token's tenant, never the body. */
export const CreateOrderRequestSchema = z.object({
  externalId: z.string().trim().min(1).max(100),
  invoiceType: InvoiceType,
  buyer: Party,
  lines: z.array(LineInput).min(1).max(2000),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequestSchema>;

/** One line of software development service for a buyer with a tax id: the documents' example order. */
export const CREATE_ORDER_EXAMPLE = {
  externalId: 'ERP-2026-000123',
  invoiceType: 'normal',
  buyer: { name: '深圳市腾讯计算机系统有限公司', taxId: '91440300708461136T' },
  lines: [
    {
      name: '*信息技术服务*软件开发服务',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice: '1000.00',
      taxRate: '0.06',
      priceIncludesTax: true,
    },
  ],
} as const satisfies CreateOrderRequest;

/**
 * `POST /v1/invoices/:id/reverse` body: without `lines` the whole invoice is reversed; with them, the
 * positive net amounts (and optionally quantities) to take back from the named blue lines.
 */
export const ReverseInvoiceRequestSchema = z
  .object({
    reasonCode: RedLetterReason,
    lines: z
      .array(
        z.object({ lineNo: z.number().int().min(1), amount: Money, quantity: Decimal.optional() }).strict(),
      )
      .min(1)
      .max(2000)
      .optional(),
  })
  .strict();
export type ReverseInvoiceRequest = z.infer<typeof ReverseInvoiceRequestSchema>;
