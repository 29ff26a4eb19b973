import { ClientErrors } from '../domain/auth.errors';
import type { ApiClientEntity } from '../infrastructure/api-client.entity';
import type { ApiClientRepository } from '../infrastructure/api-client.repository';

/** A tenant's client of that tenant, revoked or not; another tenant's is "not found". */
export async function tenantClient(
  clients: ApiClientRepository,
  tenantId: string,
  clientId: string,
): Promise<ApiClientEntity> {
  const client = await clients.findById(clientId);
  if (!client || client.tenantId !== tenantId) throw ClientErrors.notFound(clientId);
  return client;
}
