import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';
import { SCOPES } from '@fapiao/platform/auth';

export const CreateClientRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.enum(SCOPES)).min(1),
});
export type CreateClientRequest = z.infer<typeof CreateClientRequestSchema>;

export class CreateClientBody {
  @ApiProperty({ example: 'erp-connector' }) name: string;
  @ApiProperty({ example: ['orders:write', 'invoices:read'], enum: SCOPES, isArray: true }) scopes: string[];
}

export class ClientCredentialsResponse {
  @ApiProperty() tenantId: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'Shown once; only a hash is stored' }) clientSecret: string;
  @ApiProperty({ isArray: true, enum: SCOPES }) scopes: string[];
}
