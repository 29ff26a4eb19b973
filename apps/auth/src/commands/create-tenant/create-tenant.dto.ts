import { z } from 'zod';
import type { TenantView } from '../../queries/tenant.view';

export const CreateTenantRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).meta({ example: '深圳市示例科技有限公司' }),
  sellerTaxId: z
    .string()
    .trim()
    .meta({ example: '91440300708461136T', description: 'Unified Social Credit Code (GB 32100-2015)' }),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;
export type TenantResponse = TenantView;
