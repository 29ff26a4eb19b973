import { z } from 'zod';
import { pageQuery } from '@fapiao/platform/http';
import { ORDER_STATUSES } from '../../domain/order-status';

export const ListOrdersQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  ...pageQuery({ defaultSize: 50, maxSize: 200 }),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;
