import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
import { isPlatformScope, PLATFORM_TENANT_ID } from '@fapiao/platform/auth';
import { acceptedSecretHashes } from '../../domain/api-client';
import { OAuthErrors } from '../../domain/auth.errors';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { SecretVerifier } from '../../infrastructure/secret-verifier';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { SigningKeysService } from '../../signing-keys.service';
import type { TokenResponse } from './issue-token.dto';
import { TokenThrottle } from './token-throttle';

export interface IssueTokenCommand {
  grantType: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  /** The request's source address (`req.ip`, see AUTH_TRUST_PROXY), for the per-address limit. */
  sourceAddress?: string;
}

@Injectable()
export class IssueTokenHandler {
  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly clients: ApiClientRepository,
    private readonly tenants: TenantRepository,
    private readonly keys: SigningKeysService,
    private readonly throttle: TokenThrottle,
    private readonly secrets: SecretVerifier,
  ) {}

  async execute(command: IssueTokenCommand): Promise<TokenResponse> {
    // Counted first, before any database read or hash, whatever the request turns out to be.
    await this.throttle.admit(command.sourceAddress, command.clientId);
    if (command.grantType !== 'client_credentials') throw OAuthErrors.unsupportedGrantType();
    const { clientId, clientSecret } = command;
    if (!clientId || !clientSecret) throw OAuthErrors.invalidClient();

    const client = await this.secrets.inSlot(async () => {
      const found = await this.clients.findActive(clientId);
      // An unknown or revoked id is hashed too (against a dummy), so timing does not tell which ids exist.
      if (!found) return (await this.secrets.verify(clientSecret, undefined)) ? found : null;
      for (const hash of acceptedSecretHashes(found, new Date())) {
        if (await this.secrets.verify(clientSecret, hash)) return found;
      }
      return null;
    });
    if (!client) throw OAuthErrors.invalidClient();

    // A tenant's client never gets a platform scope, even if its row says so (written by hand, say).
    const held = client.tenantId === null ? client.scopes : client.scopes.filter((s) => !isPlatformScope(s));
    const requested = command.scope?.split(' ').filter(Boolean) ?? held;
    const denied = requested.find((scope) => !held.includes(scope));
    if (denied) throw OAuthErrors.invalidScope(denied);

    const tenant = client.tenantId === null ? null : await this.tenants.findById(client.tenantId);
    if (client.tenantId !== null && !tenant) throw OAuthErrors.invalidClient();
    const { kid, privateKey } = await this.keys.activeKey();
    const scope = requested.join(' ');
    const accessToken = await new SignJWT({
      // A platform client has no tenant: its token names one no tenant has (PLATFORM_TENANT_ID).
      tid: tenant?.id ?? PLATFORM_TENANT_ID,
      ...(tenant && { stx: tenant.sellerTaxId }),
      scope,
      client_id: client.clientId,
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setSubject(client.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.config.tokenTtlSeconds}s`)
      .sign(privateKey);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.tokenTtlSeconds,
      scope,
    };
  }
}
