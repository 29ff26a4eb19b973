import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ApiClientEntity } from './api-client.entity';
import { SigningKeyEntity } from './signing-key.entity';
import { TenantEntity } from './tenant.entity';

/** Ports: abstract classes that are also the DI tokens; TypeORM adapters below. */
export abstract class TenantRepository {
  abstract findById(id: string): Promise<TenantEntity | null>;
  abstract findBySellerTaxId(sellerTaxId: string): Promise<TenantEntity | null>;
  abstract save(tenant: TenantEntity): Promise<TenantEntity>;
}

export abstract class ApiClientRepository {
  abstract findActive(clientId: string): Promise<ApiClientEntity | null>;
  abstract save(client: ApiClientEntity): Promise<ApiClientEntity>;
}

export abstract class SigningKeyRepository {
  abstract findPublished(): Promise<SigningKeyEntity[]>;
  abstract findByKid(kid: string): Promise<SigningKeyEntity | null>;
  /** Makes `key` the only active key; the previous active key stays published as verify_only. */
  abstract activate(key: SigningKeyEntity): Promise<void>;
  abstract retire(kid: string): Promise<void>;
}

@Injectable()
export class TypeOrmTenantRepository implements TenantRepository {
  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}
  findById(id: string) {
    return this.tenants.findOneBy({ id });
  }
  findBySellerTaxId(sellerTaxId: string) {
    return this.tenants.findOneBy({ sellerTaxId });
  }
  save(tenant: TenantEntity) {
    return this.tenants.save(tenant);
  }
}

@Injectable()
export class TypeOrmApiClientRepository implements ApiClientRepository {
  constructor(@InjectRepository(ApiClientEntity) private readonly clients: Repository<ApiClientEntity>) {}
  async findActive(clientId: string) {
    const client = await this.clients.findOneBy({ clientId });
    return client && !client.revokedAt ? client : null;
  }
  save(client: ApiClientEntity) {
    return this.clients.save(client);
  }
}

@Injectable()
export class TypeOrmSigningKeyRepository implements SigningKeyRepository {
  constructor(@InjectRepository(SigningKeyEntity) private readonly keys: Repository<SigningKeyEntity>) {}

  findPublished() {
    return this.keys.find({ where: { status: In(['active', 'verify_only']) }, order: { createdAt: 'DESC' } });
  }

  findByKid(kid: string) {
    return this.keys.findOneBy({ kid });
  }

  async activate(key: SigningKeyEntity): Promise<void> {
    await this.keys.manager.transaction(async (manager) => {
      await manager.update(SigningKeyEntity, { status: 'active' }, { status: 'verify_only' });
      key.status = 'active';
      await manager.save(key);
    });
  }

  async retire(kid: string): Promise<void> {
    await this.keys.update({ kid }, { status: 'retired', retiredAt: new Date() });
  }
}

export const AUTH_ENTITIES = [TenantEntity, ApiClientEntity, SigningKeyEntity];

export const AUTH_REPOSITORIES = [
  { provide: TenantRepository, useClass: TypeOrmTenantRepository },
  { provide: ApiClientRepository, useClass: TypeOrmApiClientRepository },
  { provide: SigningKeyRepository, useClass: TypeOrmSigningKeyRepository },
];
