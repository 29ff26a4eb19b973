import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiErrors, ApiOkFrom, REQUEST_MALFORMED } from '@fapiao/platform/http';
import { ClientErrors } from '../../domain/auth.errors';
import { ClientView, ClientViewSchema } from '../../queries/client.view';
import { RotateClientSecretHandler } from './rotate-client-secret.handler';

const RotatedSecretSchema = ClientViewSchema.extend({
  clientSecret: z
    .string()
    .describe('The new secret, shown once; the previous one works until previousSecretValidUntil'),
});

@ApiTags('tenants')
@Controller('v1/tenants/:tenantId/clients/:clientId')
export class RotateClientSecretController {
  constructor(private readonly handler: RotateClientSecretHandler) {}

  @Post('rotate-secret')
  @HttpCode(200)
  @RequireScopes('platform:admin')
  @ApiOperation({ summary: "Rotate a client's secret; the previous one stays valid for the grace period" })
  @ApiOkFrom(RotatedSecretSchema)
  @ApiErrors(REQUEST_MALFORMED, ClientErrors.notFound('{clientId}'), ClientErrors.revoked('{clientId}'))
  async rotate(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Param('clientId') clientId: string,
  ): Promise<z.infer<typeof RotatedSecretSchema>> {
    const { client, clientSecret } = await this.handler.execute(tenantId, clientId);
    return { ...ClientView.from(client), clientSecret };
  }
}
