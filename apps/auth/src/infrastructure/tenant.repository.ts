import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TenantEntity } from './tenant.entity';

/** The port (an abstract class, also the DI token) and its TypeORM adapter. */
export abstract class TenantRepository {
  abstract findById(id: string): Promise<TenantEntity | null>;
  abstract findBySellerTaxId(sellerTaxId: string): Promise<TenantEntity | null>;
  abstract save(tenant: TenantEntity): Promise<TenantEntity>;
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
