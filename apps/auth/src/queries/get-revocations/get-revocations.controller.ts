import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MAX_TOKEN_TTL_SECONDS, type RevocationList } from '@fapiao/platform/auth';
import { ApiOkFrom, Public } from '@fapiao/platform/http';
import { ApiClientRepository } from '../../infrastructure/api-client.repository';

const RevocationListSchema = z.object({
  clients: z.array(z.object({ clientId: z.string(), revokedAt: z.iso.datetime() })),
});

/** Leeway beyond the longest token lifetime, for clock skew between auth and the verifiers. */
const SKEW_MS = 5 * 60_000;

/**
 * What every service's token verifier polls (AUTH_REVOCATION_CACHE_MS) to refuse a revoked client's
 * tokens before they expire. Public like the JWKS: it lists opaque ids of clients that no longer work,
 * and only those revoked within the longest token lifetime (older tokens have expired anyway).
 */
@ApiTags('oauth')
@Public()
@Controller('v1/revocations')
export class GetRevocationsController {
  constructor(private readonly clients: ApiClientRepository) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Clients revoked within the longest token lifetime (for token verifiers)' })
  @ApiOkFrom(RevocationListSchema)
  async list(): Promise<RevocationList> {
    const since = new Date(Date.now() - MAX_TOKEN_TTL_SECONDS * 1000 - SKEW_MS);
    const revoked = await this.clients.revokedSince(since);
    return {
      clients: revoked.map(({ clientId, revokedAt }) => ({
        clientId,
        revokedAt: (revokedAt ?? since).toISOString(),
      })),
    };
  }
}
