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
