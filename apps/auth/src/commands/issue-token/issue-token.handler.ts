import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
import { OAuthErrors } from '../../domain/auth.errors';
import { verifyClientSecret } from '../../domain/client-secret';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { SigningKeysService } from '../../signing-keys.service';
import type { TokenResponse } from './issue-token.dto';

export interface IssueTokenCommand {
  grantType: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}

@Injectable()
export class IssueTokenHandler {
  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly clients: ApiClientRepository,
    private readonly tenants: TenantRepository,
    private readonly keys: SigningKeysService,
  ) {}

  async execute(command: IssueTokenCommand): Promise<TokenResponse> {
    if (command.grantType !== 'client_credentials') throw OAuthErrors.unsupportedGrantType();
    if (!command.clientId || !command.clientSecret) throw OAuthErrors.invalidClient();

    const client = await this.clients.findActive(command.clientId);
    // Verify against a dummy hash for unknown clients too, so timing does not reveal which ids exist.
    const valid = await verifyClientSecret(command.clientSecret, client?.secretHash ?? UNKNOWN_CLIENT_HASH);
    if (!client || !valid) throw OAuthErrors.invalidClient();

    const requested = command.scope?.split(' ').filter(Boolean) ?? client.scopes;
    const denied = requested.find((scope) => !client.scopes.includes(scope));
    if (denied) throw OAuthErrors.invalidScope(denied);

    const tenant = await this.tenants.findById(client.tenantId);
    if (!tenant) throw OAuthErrors.invalidClient();
    const { kid, privateKey } = await this.keys.activeKey();
    const scope = requested.join(' ');
    const accessToken = await new SignJWT({
      tid: tenant.id,
      stx: tenant.sellerTaxId,
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

const UNKNOWN_CLIENT_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
