import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityFaultsRequestSchema,
  AuthorityFaultsViewSchema,
  type AuthorityFaultsRequest,
  type AuthorityFaultsView,
} from '@fapiao/contracts';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
} from '@fapiao/platform/http';
import { SimControl } from '../../control/admin-token.guard';
import { FaultsService } from '../../faults/faults.service';

const FAULTS_DESCRIPTION = `Replaces the injected faults (in memory, per process). They apply to the authority endpoints
(/v1/invoices*, /v1/red-letter-forms*), never to /v1/faults, /v1/status, /v1/maintenance, health, metrics or docs.
Per request, in this order: certificateExpired (403 SIM.CLIENT_CERTIFICATE_EXPIRED; real TLS is not simulated);
maintenance (503 SIM.MAINTENANCE + Retry-After until it ends); rateLimit (429 SIM.RATE_LIMITED + Retry-After);
then latencyMs, then one outcome drawn from consecutive bands: resetRate (TCP RST, nothing processed), timeoutRate
("hang": never answered, nothing processed; {afterMs}: processed and answered afterMs late), errorRate (500/502/503,
nothing processed), responseLostRate (processed and committed, then the connection is reset instead of answering —
resolve by serial). Each request draws three numbers from xoroshiro128+ seeded with \`seed\`, so the same seed and
request sequence give the same faults. Example: {"seed": 7, "errorRate": 0.3, "timeoutRate": 0.1, "responseLostRate": 0.05}.`;

@ApiTags('simulator control')
@SimControl()
@Controller('v1/faults')
export class SetFaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Inject faults (replaces the current set)', description: FAULTS_DESCRIPTION })
  @ApiBodyFrom(AuthorityFaultsRequestSchema, {
    example: { seed: 7, errorRate: 0.3, timeoutRate: 0.1, responseLostRate: 0.05 },
  })
  @ApiOkFrom(AuthorityFaultsViewSchema, 200, 'The faults now in force, every default filled in')
  @ApiErrors(REQUEST_MALFORMED, requestInvalid(AuthorityErrorCodes.requestInvalid))
  set(
    @Body(new ZodValidationPipe(AuthorityFaultsRequestSchema, AuthorityErrorCodes.requestInvalid))
    body: AuthorityFaultsRequest,
  ): AuthorityFaultsView {
    return this.faults.set(body);
  }

  @Get()
  @ApiOperation({ summary: 'The faults in force and what they have injected so far' })
  @ApiOkFrom(AuthorityFaultsViewSchema)
  get(): AuthorityFaultsView {
    return this.faults.view();
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear every injected fault (the calendar and the configured rate limit stay)' })
  @ApiNoContentResponse({ description: 'Cleared' })
  clear(): void {
    this.faults.clear();
  }
}
