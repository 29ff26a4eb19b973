import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/order-status';

export const ListOrdersQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;
