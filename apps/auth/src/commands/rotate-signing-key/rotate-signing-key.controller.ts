import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { SigningKeysService } from '../../signing-keys.service';

@ApiTags('keys')
@ApiBearerAuth()
@RequireScopes('ops:admin')
@Controller('v1/keys')
export class RotateSigningKeyController {
  constructor(private readonly keys: SigningKeysService) {}

  /** The new key signs from now on; the previous one keeps verifying until it is retired. */
  @Post('rotate')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The kid of the new active key' })
  async rotate(): Promise<{ kid: string }> {
    return { kid: await this.keys.rotate() };
  }

  @Post(':kid/retire')
  @HttpCode(204)
  async retire(@Param('kid') kid: string): Promise<void> {
    await this.keys.retire(kid);
  }
}
