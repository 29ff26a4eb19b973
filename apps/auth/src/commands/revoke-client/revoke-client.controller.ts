import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiErrors, ApiOkFrom, REQUEST_MALFORMED } from '@fapiao/platform/http';
import { ClientErrors } from '../../domain/auth.errors';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';
import { ClientView, ClientViewSchema } from '../../queries/client.view';
import { tenantClient } from '../tenant-client';

@ApiTags('tenants')
@Controller('v1/tenants/:tenantId/clients/:clientId')
export class RevokeClientController {
  constructor(private readonly clients: ApiClientRepository) {}

  /**
   * No new tokens from now on; tokens already issued are refused by every service within
   * AUTH_REVOCATION_CACHE_MS (the verifiers' revocation list). Revoking twice answers the same client.
   */
  @Post('revoke')
  @HttpCode(200)
  @RequireScopes('platform:admin')
  @ApiOperation({ summary: 'Revoke a client: its secret and its tokens stop working within seconds' })
  @ApiOkFrom(ClientViewSchema)
  @ApiErrors(REQUEST_MALFORMED, ClientErrors.notFound('{clientId}'))
  async revoke(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Param('clientId') clientId: string,
  ): Promise<ClientView> {
    const client = await tenantClient(this.clients, tenantId, clientId);
    if (!client.revokedAt) {
      client.revokedAt = new Date();
      await this.clients.save(client);
    }
    return ClientView.from(client);
  }
}
