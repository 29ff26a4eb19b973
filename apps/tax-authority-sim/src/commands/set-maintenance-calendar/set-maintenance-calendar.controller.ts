import { Body, Controller, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityMaintenanceCalendarRequestSchema,
  AuthorityStatusSchema,
  type AuthorityMaintenanceCalendarRequest,
  type AuthorityStatus,
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

@ApiTags('simulator control')
@SimControl()
@Controller('v1/maintenance/calendar')
export class SetMaintenanceCalendarController {
  constructor(private readonly faults: FaultsService) {}

  @Put()
  @ApiOperation({
    summary: 'Switch the monthly maintenance calendar on or off, or change its days (until restart)',
    description:
      'Boot defaults: SIM_MAINTENANCE_ENABLED (true) and SIM_MAINTENANCE_DAYS ("25-27", days of the month in UTC+8).',
  })
  @ApiBodyFrom(AuthorityMaintenanceCalendarRequestSchema, { example: { enabled: true, days: '25-27' } })
  @ApiOkFrom(AuthorityStatusSchema)
  @ApiErrors(REQUEST_MALFORMED, requestInvalid(AuthorityErrorCodes.requestInvalid))
  set(
    @Body(
      new ZodValidationPipe(AuthorityMaintenanceCalendarRequestSchema, AuthorityErrorCodes.requestInvalid),
    )
    body: AuthorityMaintenanceCalendarRequest,
  ): AuthorityStatus {
    return this.faults.setCalendar(body);
  }
}
