import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { JWK } from 'jose';
import { Public } from '@fapiao/platform/http';
import { SigningKeysService } from '../../signing-keys.service';

@ApiTags('oauth')
@Public()
@Controller('.well-known')
export class GetJwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOkResponse({ description: 'RFC 7517 JSON Web Key Set of every key that may have signed a live token' })
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: await this.keys.publicKeys() };
  }
}
