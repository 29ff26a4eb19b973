import { Inject, Injectable } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
import { ClientErrors } from '../../domain/auth.errors';
import { generateClientSecret, hashClientSecret } from '../../domain/client-secret';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import type { ApiClientEntity } from '../../infrastructure/api-client.entity';
import { tenantClient } from '../tenant-client';

export interface RotatedSecret {
  client: ApiClientEntity;
  clientSecret: string;
}

@Injectable()
export class RotateClientSecretHandler {
  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly clients: ApiClientRepository,
  ) {}

  /**
   * A new secret; the current one stays accepted for AUTH_SECRET_ROTATION_GRACE_SECONDS (a second
   * rotation within that time ends the first one's grace: only one previous secret is kept).
   */
  async execute(tenantId: string, clientId: string): Promise<RotatedSecret> {
    const client = await tenantClient(this.clients, tenantId, clientId);
    if (client.revokedAt) throw ClientErrors.revoked(clientId);
    const clientSecret = generateClientSecret();
    client.previousSecretHash = client.secretHash;
    client.previousSecretExpiresAt = new Date(Date.now() + this.config.secretRotationGraceSeconds * 1000);
    client.secretHash = await hashClientSecret(clientSecret);
    await this.clients.save(client);
    return { client, clientSecret };
  }
}
