import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthorityStatusSchema, type AuthorityStatus } from '@fapiao/contracts';
import { SimControl } from '../../control/admin-token.guard';
import { FaultsService } from '../../faults/faults.service';
import { ApiOkFrom } from '@fapiao/platform/http';

@ApiTags('simulator control')
@SimControl()
@Controller('v1/status')
export class GetStatusController {
  constructor(private readonly faults: FaultsService) {}

  @Get()
  @ApiOperation({
    summary: 'Maintenance (now and the next calendar window), rate limit and injected faults',
    description: 'Never subject to faults.',
  })
  @ApiOkFrom(AuthorityStatusSchema)
  get(): AuthorityStatus {
    return this.faults.status();
  }
}
