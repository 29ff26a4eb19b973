import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';

export const CreateTenantRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  sellerTaxId: z.string().trim(),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

export class CreateTenantBody {
  @ApiProperty({ example: '深圳市示例科技有限公司' }) name: string;
  @ApiProperty({ example: '91440300708461136T', description: 'Unified Social Credit Code (GB 32100-2015)' })
  sellerTaxId: string;
}

export class TenantResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() sellerTaxId: string;
}
