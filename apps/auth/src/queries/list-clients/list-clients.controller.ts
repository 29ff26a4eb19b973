import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiErrors, ApiOkFrom, REQUEST_MALFORMED } from '@fapiao/platform/http';
import { TenantErrors } from '../../domain/auth.errors';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { TenantRepository } from '../../infrastructure/tenant.repository';
import { ClientView, ClientViewSchema } from '../client.view';

const ClientListSchema = z.object({ items: z.array(ClientViewSchema) });

@ApiTags('tenants')
@Controller('v1/tenants/:tenantId/clients')
export class ListClientsController {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly clients: ApiClientRepository,
  ) {}

  /** Not paged: a tenant has a handful of clients (one per integration), revoked ones included. */
  @Get()
  @RequireScopes('platform:admin')
  @ApiOperation({ summary: "A tenant's API clients, revoked ones included (never their secrets)" })
  @ApiOkFrom(ClientListSchema)
  @ApiErrors(REQUEST_MALFORMED, TenantErrors.notFound('{tenantId}'))
  async list(@Param('tenantId', ParseUUIDPipe) tenantId: string): Promise<z.infer<typeof ClientListSchema>> {
    if (!(await this.tenants.findById(tenantId))) throw TenantErrors.notFound(tenantId);
    const now = new Date();
    return {
      items: (await this.clients.listByTenant(tenantId)).map((client) => ClientView.from(client, now)),
    };
  }
}
