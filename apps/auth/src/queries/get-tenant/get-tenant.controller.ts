import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@fapiao/platform/http';
import { TenantErrors } from '../../domain/auth.errors';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { TenantResponse } from '../../commands/create-tenant/create-tenant.dto';

/**
 * Tenant directory for the other services (e.g. order validates the tenant of an internal Kafka request).
 * Under /internal: reachable inside the cluster only — the chart's Ingress does not route it and the
 * NetworkPolicy admits only fapiao pods. It exposes a tenant's name and public USCC, nothing secret.
 */
@ApiTags('internal')
@Public()
@Controller('internal/v1/tenants')
export class GetTenantController {
  constructor(private readonly tenants: TenantRepository) {}

  @Get(':id')
  @ApiOkResponse({ type: TenantResponse })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantResponse> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw TenantErrors.notFound(id);
    return { id: tenant.id, name: tenant.name, sellerTaxId: tenant.sellerTaxId };
  }
}
