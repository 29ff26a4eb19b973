import { z } from 'zod';
import { SCOPES } from '@fapiao/platform/auth';

export const CreateClientRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).meta({ example: 'erp-connector' }),
  scopes: z
    .array(z.enum(SCOPES))
    .describe('Tenant scopes only: platform:admin and tenants:lookup are refused (422)')
    .min(1)
    .meta({ example: ['orders:write', 'invoices:read'] }),
});
export type CreateClientRequest = z.infer<typeof CreateClientRequestSchema>;

export const ClientCredentialsViewSchema = z.object({
  tenantId: z.uuid(),
  clientId: z.string().meta({ example: 'cli_5f0c2a9e61b7d4c3a8e2f190' }),
  clientSecret: z.string().describe('Shown once; only a hash is stored'),
  scopes: z.array(z.enum(SCOPES)),
});
export type ClientCredentialsResponse = z.infer<typeof ClientCredentialsViewSchema>;
