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
import { RotateSigningKeyController } from './commands/rotate-signing-key/rotate-signing-key.controller';
import { AUTH_ENTITIES, AUTH_REPOSITORIES } from './infrastructure/persistence';
import { SecretVerifier } from './infrastructure/secret-verifier';
import { GetJwksController } from './queries/get-jwks/get-jwks.controller';
import { GetTenantController } from './queries/get-tenant/get-tenant.controller';
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
    GetTenantController,
    CreateTenantController,
    CreateClientController,
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
  ],
})
export class AppModule {}
