import { z } from 'zod';
import { SCOPES } from '@fapiao/platform/auth';
import type { ApiClientEntity } from '../infrastructure/api-client.entity';

/** An API client as listed and after lifecycle operations; never its secret or a hash of it. */
export const ClientViewSchema = z.object({
  clientId: z.string().meta({ example: 'cli_5f0c2a9e61b7d4c3a8e2f190' }),
  tenantId: z.uuid(),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  previousSecretValidUntil: z.iso
    .datetime()
    .nullable()
    .describe('Until when the secret before the last rotation is still accepted'),
});
export type ClientView = z.infer<typeof ClientViewSchema>;

export const ClientView = {
  from: (client: ApiClientEntity, now = new Date()): ClientView => ({
    clientId: client.clientId,
    tenantId: client.tenantId ?? '',
    name: client.name,
    scopes: client.scopes as ClientView['scopes'],
    createdAt: client.createdAt.toISOString(),
    revokedAt: client.revokedAt?.toISOString() ?? null,
    previousSecretValidUntil:
      client.previousSecretExpiresAt && client.previousSecretExpiresAt > now
        ? client.previousSecretExpiresAt.toISOString()
        : null,
  }),
};
