import { Body, Controller, Post } from '@nestjs/common';
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
import { TenantErrors } from '../../domain/auth.errors';
import { TenantViewSchema } from '../../queries/tenant.view';
import { CreateTenantRequest, CreateTenantRequestSchema, TenantResponse } from './create-tenant.dto';
import { CreateTenantHandler } from './create-tenant.handler';

@ApiTags('tenants')
@Controller('v1/tenants')
export class CreateTenantController {
  constructor(private readonly handler: CreateTenantHandler) {}

  @Post()
  @RequireScopes('platform:admin')
  @ApiOperation({ summary: 'Create a tenant (a seller, identified by its USCC)' })
  @ApiBodyFrom(CreateTenantRequestSchema)
  @ApiOkFrom(TenantViewSchema, 201)
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(),
    TenantErrors.invalidSellerTaxId('CHECK_CHARACTER', 'The check character of the USCC does not match'),
    TenantErrors.duplicateSellerTaxId(),
  )
  create(
    @Body(new ZodValidationPipe(CreateTenantRequestSchema)) body: CreateTenantRequest,
  ): Promise<TenantResponse> {
    return this.handler.execute(body);
  }
}
