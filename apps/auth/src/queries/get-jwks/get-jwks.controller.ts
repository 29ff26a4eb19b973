import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JWK } from 'jose';
import { z } from 'zod';
import { ApiOkFrom, Public } from '@fapiao/platform/http';
import { SigningKeysService } from '../../signing-keys.service';

/** RFC 7517 JSON Web Key Set: RSA public keys only. */
const JwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.literal('RSA'),
      kid: z.string(),
      alg: z.literal('RS256'),
      use: z.literal('sig'),
      n: z.string(),
      e: z.string().meta({ example: 'AQAB' }),
    }),
  ),
});

@ApiTags('oauth')
@Public()
@Controller('.well-known')
export class GetJwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'The JSON Web Key Set of every key that may have signed a live token' })
  @ApiOkFrom(JwksSchema)
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: await this.keys.publicKeys() };
  }
}
