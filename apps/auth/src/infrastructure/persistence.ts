import { ApiClientEntity } from './api-client.entity';
import { ApiClientRepository, TypeOrmApiClientRepository } from './api-client.repository';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyRepository, TypeOrmSigningKeyRepository } from './signing-key.repository';
import { TenantEntity } from './tenant.entity';
import { TenantRepository, TypeOrmTenantRepository } from './tenant.repository';

/** auth's tables and the adapters bound to its repository ports. */
export const AUTH_ENTITIES = [TenantEntity, ApiClientEntity, SigningKeyEntity];

export const AUTH_REPOSITORIES = [
  { provide: TenantRepository, useClass: TypeOrmTenantRepository },
  { provide: ApiClientRepository, useClass: TypeOrmApiClientRepository },
  { provide: SigningKeyRepository, useClass: TypeOrmSigningKeyRepository },
];
