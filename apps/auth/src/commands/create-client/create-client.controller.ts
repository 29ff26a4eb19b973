import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
} from '@fapiao/platform/http';
import { ClientErrors, TenantErrors } from '../../domain/auth.errors';
import {
  ClientCredentialsResponse,
  ClientCredentialsViewSchema,
  CreateClientRequest,
  CreateClientRequestSchema,
} from './create-client.dto';
import { CreateClientHandler } from './create-client.handler';

@ApiTags('tenants')
@Controller('v1/tenants/:tenantId/clients')
export class CreateClientController {
  constructor(private readonly handler: CreateClientHandler) {}

  @Post()
  @RequireScopes('platform:admin')
  @ApiOperation({
    summary: 'Create an API client of a tenant (platform administration); its secret is shown once',
  })
  @ApiBodyFrom(CreateClientRequestSchema)
  @ApiOkFrom(ClientCredentialsViewSchema, 201)
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(),
    ClientErrors.platformScopeNotGrantable('platform:admin'),
    TenantErrors.notFound('{tenantId}'),
  )
  create(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Body(new ZodValidationPipe(CreateClientRequestSchema)) body: CreateClientRequest,
  ): Promise<ClientCredentialsResponse> {
    return this.handler.execute(tenantId, body);
  }
}
