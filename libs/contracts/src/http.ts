import { z } from 'zod';
import { InvoiceType, LineInput, Party } from './primitives';

/** `POST /v1/orders` body; the seller is the token's tenant, never the body. */
export const CreateOrderRequestSchema = z.object({
  externalId: z.string().trim().min(1).max(100),
  invoiceType: InvoiceType,
  buyer: Party,
  lines: z.array(LineInput).min(1).max(2000),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequestSchema>;
