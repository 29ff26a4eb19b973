import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { OrderView } from '../../queries/order.view';
import { CancelOrderHandler } from './cancel-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class CancelOrderController {
  constructor(private readonly handler: CancelOrderHandler) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('orders:write')
  @ApiOkResponse({ type: OrderView })
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OrderView> {
    return this.handler.execute(principal.tenantId, id);
  }
}
