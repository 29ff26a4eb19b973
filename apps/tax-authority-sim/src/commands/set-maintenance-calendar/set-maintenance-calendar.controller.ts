import { Body, Controller, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthorityErrorCodes,
  AuthorityMaintenanceCalendarRequestSchema,
  AuthorityStatusSchema,
  type AuthorityMaintenanceCalendarRequest,
  type AuthorityStatus,
} from '@fapiao/contracts';
import { ZodValidationPipe } from '@fapiao/platform/http';
import { FaultsService } from '../../faults/faults.service';
import { openApi } from '../../openapi';

@ApiTags('simulator control')
@Controller('v1/maintenance/calendar')
export class SetMaintenanceCalendarController {
  constructor(private readonly faults: FaultsService) {}

  @Put()
  @ApiOperation({
    summary: 'Switch the monthly maintenance calendar on or off, or change its days (until restart)',
    description:
      'Boot defaults: SIM_MAINTENANCE_ENABLED (true) and SIM_MAINTENANCE_DAYS ("25-27", days of the month in UTC+8).',
  })
  @ApiBody({ schema: openApi(AuthorityMaintenanceCalendarRequestSchema, 'input') })
  @ApiOkResponse({ schema: openApi(AuthorityStatusSchema) })
  set(
    @Body(
      new ZodValidationPipe(AuthorityMaintenanceCalendarRequestSchema, AuthorityErrorCodes.requestInvalid),
    )
    body: AuthorityMaintenanceCalendarRequest,
  ): AuthorityStatus {
    return this.faults.setCalendar(body);
  }
}
