import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { validateUscc } from '@fapiao/invoice-domain';
import { TenantErrors } from '../../domain/auth.errors';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { TenantEntity } from '../../infrastructure/tenant.entity';
import type { CreateTenantRequest, TenantResponse } from './create-tenant.dto';

@Injectable()
export class CreateTenantHandler {
  constructor(private readonly tenants: TenantRepository) {}

  async execute(command: CreateTenantRequest): Promise<TenantResponse> {
    const uscc = validateUscc(command.sellerTaxId);
    if (!uscc.ok) throw TenantErrors.invalidSellerTaxId(uscc.error.code, uscc.error.message);
    if (await this.tenants.findBySellerTaxId(uscc.value.normalized))
      throw TenantErrors.duplicateSellerTaxId();

    const tenant = new TenantEntity();
    tenant.id = randomUUID();
    tenant.name = command.name;
    tenant.sellerTaxId = uscc.value.normalized;
    await this.tenants.save(tenant);
    return { id: tenant.id, name: tenant.name, sellerTaxId: tenant.sellerTaxId };
  }
}
