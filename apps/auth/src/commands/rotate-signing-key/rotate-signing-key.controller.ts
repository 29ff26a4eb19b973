import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireScopes } from '@fapiao/platform/auth';
import { ApiErrors, ApiOkFrom } from '@fapiao/platform/http';
import { SigningKeyErrors } from '../../domain/auth.errors';
import { SigningKeysService } from '../../signing-keys.service';

const RotatedKeySchema = z.object({ kid: z.string().describe('The kid of the new active key') });

@ApiTags('keys')
@RequireScopes('platform:admin')
@Controller('v1/keys')
export class RotateSigningKeyController {
  constructor(private readonly keys: SigningKeysService) {}

  /** The new key signs from now on; the previous one keeps verifying until it is retired. */
  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing key: a new key signs from now on' })
  @ApiOkFrom(RotatedKeySchema)
  async rotate(): Promise<z.infer<typeof RotatedKeySchema>> {
    return { kid: await this.keys.rotate() };
  }

  @Post(':kid/retire')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a previous signing key: tokens it signed stop verifying' })
  @ApiNoContentResponse({ description: 'Retired' })
  @ApiErrors(SigningKeyErrors.notFound('{kid}'), SigningKeyErrors.activeKeyCannotRetire('{kid}'))
  async retire(@Param('kid') kid: string): Promise<void> {
    await this.keys.retire(kid);
  }
}
