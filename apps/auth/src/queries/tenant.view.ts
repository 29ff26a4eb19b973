import { z } from 'zod';

/** A tenant as auth answers it (create, and the internal directory); nothing secret. */
export const TenantViewSchema = z.object({
  id: z.uuid(),
  name: z.string().meta({ example: '深圳市示例科技有限公司' }),
  sellerTaxId: z.string().meta({ example: '91440300708461136T', description: 'Unified Social Credit Code' }),
});
export type TenantView = z.infer<typeof TenantViewSchema>;
