import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig, type BootstrapClient } from './auth.config';
import { hashClientSecret, verifyClientSecret } from './domain/client-secret';
import { ApiClientEntity } from './infrastructure/api-client.entity';
import { ApiClientRepository } from './infrastructure/api-client.repository';

/**
 * Creates the installation's platform clients (no tenant) from configuration at boot, idempotently: the
 * platform administrator (platform:admin) and the service client of the tenant directory
 * (tenants:lookup). The configured secret is the truth: a changed Secret replaces the stored hash at the
 * next start. These are the only clients that can hold platform scopes; the API never creates one.
 */
@Injectable()
export class PlatformClients implements OnModuleInit {
  private readonly logger = new Logger(PlatformClients.name);

  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly clients: ApiClientRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const wanted of this.config.bootstrapClients) await this.ensure(wanted);
    if (!this.config.bootstrapClients.some((client) => client.scopes.includes('platform:admin')))
      this.logger.warn(
        'no platform client configured (AUTH_PLATFORM_CLIENT_ID): nobody can administer tenants',
      );
  }

  async ensure(wanted: BootstrapClient): Promise<void> {
    const existing = await this.clients.findById(wanted.clientId);
    if (existing && existing.tenantId !== null)
      throw new Error(`${wanted.clientId} (configured for the ${wanted.name}) is a tenant's client`);
    const secret = wanted.secret.reveal();
    const current =
      existing &&
      !existing.revokedAt &&
      sameScopes(existing.scopes, wanted.scopes) &&
      (await verifyClientSecret(secret, existing.secretHash));
    if (current) return;
    const client = existing ?? new ApiClientEntity();
    client.clientId = wanted.clientId;
    client.tenantId = null;
    client.name = wanted.name;
    client.scopes = [...wanted.scopes];
    client.secretHash = await hashClientSecret(secret);
    client.previousSecretHash = null;
    client.previousSecretExpiresAt = null;
    client.revokedAt = null;
    // Replicas starting together may both get here: one statement, last writer wins, both secrets equal.
    if (existing) await this.clients.save(client);
    else await this.clients.upsert(client);
    this.logger.log(`${existing ? 'updated' : 'created'} the ${wanted.name} client ${wanted.clientId}`);
  }
}

const sameScopes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((scope) => b.includes(scope));
