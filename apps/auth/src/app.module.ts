import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@fapiao/platform/service';
import { AUTH_SERVER_CONFIG, authServerConfig } from './auth.config';
import { CreateClientController } from './commands/create-client/create-client.controller';
import { CreateClientHandler } from './commands/create-client/create-client.handler';
import { CreateTenantController } from './commands/create-tenant/create-tenant.controller';
import { CreateTenantHandler } from './commands/create-tenant/create-tenant.handler';
import { IssueTokenController } from './commands/issue-token/issue-token.controller';
import { IssueTokenHandler } from './commands/issue-token/issue-token.handler';
import { TokenThrottle } from './commands/issue-token/token-throttle';
import { TrustProxySetting } from './commands/issue-token/trust-proxy';
import { RevokeClientController } from './commands/revoke-client/revoke-client.controller';
import { RotateClientSecretController } from './commands/rotate-client-secret/rotate-client-secret.controller';
import { RotateClientSecretHandler } from './commands/rotate-client-secret/rotate-client-secret.handler';
import { RotateSigningKeyController } from './commands/rotate-signing-key/rotate-signing-key.controller';
import { AUTH_ENTITIES, AUTH_REPOSITORIES } from './infrastructure/persistence';
import { SecretVerifier } from './infrastructure/secret-verifier';
import { PlatformClients } from './platform-clients.service';
import { GetJwksController } from './queries/get-jwks/get-jwks.controller';
import { GetRevocationsController } from './queries/get-revocations/get-revocations.controller';
import { GetTenantController } from './queries/get-tenant/get-tenant.controller';
import { ListClientsController } from './queries/list-clients/list-clients.controller';
import { AUTH_SCHEMA } from './schema';
import { AUTH_SERVICE } from './service';
import { SigningKeysService } from './signing-keys.service';

@Module({
  imports: [
    // auth verifies its own admin tokens through its own JWKS, like every other service.
    PlatformModule.forService({ service: AUTH_SERVICE, schema: AUTH_SCHEMA, kafka: false, auth: true }),
    TypeOrmModule.forFeature(AUTH_ENTITIES),
  ],
  controllers: [
    IssueTokenController,
    GetJwksController,
    GetRevocationsController,
    GetTenantController,
    CreateTenantController,
    CreateClientController,
    ListClientsController,
    RotateClientSecretController,
    RevokeClientController,
    RotateSigningKeyController,
  ],
  providers: [
    { provide: AUTH_SERVER_CONFIG, useFactory: () => authServerConfig.read() },
    ...AUTH_REPOSITORIES,
    SigningKeysService,
    IssueTokenHandler,
    TokenThrottle,
    SecretVerifier,
    TrustProxySetting,
    CreateTenantHandler,
    CreateClientHandler,
    RotateClientSecretHandler,
    PlatformClients,
  ],
})
export class AppModule {}
