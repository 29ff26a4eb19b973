import { z } from 'zod';
import { RECON_STATUSES } from '../domain/reconciliation';

const Gross = (description?: string) => z.string().nullable().meta({ example: '700.00', description });

/** What reconciliation has matched for one order: expected, invoiced and the authority's figures. */
export const OrderReconciliationViewSchema = z.object({
  orderId: z.uuid(),
  status: z.enum(RECON_STATUSES),
  expectedGross: Gross(),
  invoiceId: z.uuid().nullable(),
  invoiceGross: Gross(),
  authorityGross: Gross(),
  authorityNumber: z.string().nullable(),
  reversedGross: z.string().meta({
    example: '-300.00',
    description: 'Σ red-letter totals reported by invoice (negative, or "0.00")',
  }),
  netGross: Gross('What remains invoiced: invoice gross + reversedGross'),
  authorityNetGross: Gross("The authority's blue gross + its red-letter totals"),
  matchedAt: z.iso.datetime().nullable(),
  cancelledAt: z.iso
    .datetime()
    .nullable()
    .describe('When the order was cancelled; its invoice must then be reversed to 0'),
  reversals: z.array(
    z.object({
      reversalId: z.uuid(),
      invoiceGross: z
        .string()
        .nullable()
        .meta({ example: '-300.00', description: 'Negative; from InvoiceReversed' }),
      authorityGross: z.string().nullable().meta({
        example: '-300.00',
        description: 'Negative; from the authority (InvoiceReversedByAuthority)',
      }),
      authorityNumber: z.string().nullable().describe("The red-letter invoice's 20-digit number"),
    }),
  ),
});
export type OrderReconciliationView = z.infer<typeof OrderReconciliationViewSchema>;
