import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { ZodValidationPipe } from '@fapiao/platform/http';
import {
  CreateTenantBody,
  CreateTenantRequest,
  CreateTenantRequestSchema,
  TenantResponse,
} from './create-tenant.dto';
import { CreateTenantHandler } from './create-tenant.handler';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class CreateTenantController {
  constructor(private readonly handler: CreateTenantHandler) {}

  @Post()
  @RequireScopes('ops:admin')
  @ApiBody({ type: CreateTenantBody })
  @ApiCreatedResponse({ type: TenantResponse })
  create(
    @Body(new ZodValidationPipe(CreateTenantRequestSchema)) body: CreateTenantRequest,
  ): Promise<TenantResponse> {
    return this.handler.execute(body);
  }
}
