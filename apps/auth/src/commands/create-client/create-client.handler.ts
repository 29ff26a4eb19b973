import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { isPlatformScope } from '@fapiao/platform/auth';
import { ClientErrors, TenantErrors } from '../../domain/auth.errors';
import { generateClientSecret, hashClientSecret } from '../../domain/client-secret';
import { ApiClientEntity } from '../../infrastructure/api-client.entity';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import type { ClientCredentialsResponse, CreateClientRequest } from './create-client.dto';

@Injectable()
export class CreateClientHandler {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly clients: ApiClientRepository,
  ) {}

  async execute(tenantId: string, command: CreateClientRequest): Promise<ClientCredentialsResponse> {
    const platformScope = command.scopes.find(isPlatformScope);
    if (platformScope) throw ClientErrors.platformScopeNotGrantable(platformScope);
    if (!(await this.tenants.findById(tenantId))) throw TenantErrors.notFound(tenantId);
    const clientSecret = generateClientSecret();
    const client = new ApiClientEntity();
    client.clientId = `cli_${randomBytes(12).toString('hex')}`;
    client.tenantId = tenantId;
    client.name = command.name;
    client.secretHash = await hashClientSecret(clientSecret);
    client.previousSecretHash = null;
    client.previousSecretExpiresAt = null;
    const scopes = [...new Set(command.scopes)];
    client.scopes = scopes;
    client.revokedAt = null;
    await this.clients.save(client);
    return { tenantId, clientId: client.clientId, clientSecret, scopes };
  }
}
