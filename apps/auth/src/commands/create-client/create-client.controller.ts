import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { ZodValidationPipe } from '@fapiao/platform/http';
import {
  ClientCredentialsResponse,
  CreateClientBody,
  CreateClientRequest,
  CreateClientRequestSchema,
} from './create-client.dto';
import { CreateClientHandler } from './create-client.handler';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants/:tenantId/clients')
export class CreateClientController {
  constructor(private readonly handler: CreateClientHandler) {}

  @Post()
  @RequireScopes('ops:admin')
  @ApiBody({ type: CreateClientBody })
  @ApiCreatedResponse({ type: ClientCredentialsResponse })
  create(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Body(new ZodValidationPipe(CreateClientRequestSchema)) body: CreateClientRequest,
  ): Promise<ClientCredentialsResponse> {
    return this.handler.execute(tenantId, body);
  }
}
