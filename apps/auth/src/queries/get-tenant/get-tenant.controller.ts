import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiErrors, ApiOkFrom, REQUEST_MALFORMED } from '@fapiao/platform/http';
import { TenantErrors } from '../../domain/auth.errors';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { TenantViewSchema, type TenantView } from '../tenant.view';

/**
 * Tenant directory for the other services (e.g. order validates the tenant of an internal Kafka request).
 * Only for service callers: a token of a platform client holding tenants:lookup (a tenant's client can
 * never hold it). Besides, under /internal: the chart's Ingress does not route it and the NetworkPolicy
 * admits only fapiao pods.
 */
@ApiTags('internal')
@RequireScopes('tenants:lookup')
@Controller('internal/v1/tenants')
export class GetTenantController {
  constructor(private readonly tenants: TenantRepository) {}

  @Get(':id')
  @ApiOperation({ summary: 'A tenant by id (cluster-internal directory)' })
  @ApiOkFrom(TenantViewSchema)
  @ApiErrors(REQUEST_MALFORMED, TenantErrors.notFound('{id}'))
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantView> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw TenantErrors.notFound(id);
    return { id: tenant.id, name: tenant.name, sellerTaxId: tenant.sellerTaxId };
  }
}
