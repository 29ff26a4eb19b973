import { z } from 'zod';
import { pageOf } from '@fapiao/platform/http';
import { DISCREPANCY_TYPES } from '../domain/reconciliation';

export const DiscrepancyViewSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  type: z.enum(DISCREPANCY_TYPES),
  detail: z.string(),
  detectedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
});

export const DiscrepancyPageSchema = pageOf(DiscrepancyViewSchema);
export type DiscrepancyPage = z.infer<typeof DiscrepancyPageSchema>;
