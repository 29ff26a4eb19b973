import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../auth.config';
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
      return (await this.secrets.verify(clientSecret, found?.secretHash)) ? found : null;
    });
    if (!client) throw OAuthErrors.invalidClient();

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
