import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { OrderView } from '../../queries/order.view';
import { CancelOrderBody, CancelOrderRequestSchema, type CancelOrderRequest } from './cancel-order.dto';
import { CancelOrderHandler } from './cancel-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class CancelOrderController {
  constructor(private readonly handler: CancelOrderHandler) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('orders:write')
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Not yet invoiced (or rejected, or fully reversed): CANCELLED at once. Invoiced or partially reversed: ' +
      'CANCELLING until the red-letter reversal of what remains is issued, then CANCELLED. Cancelling a ' +
      'CANCELLING or CANCELLED order answers it unchanged. While INVOICING: 409 ORDER.NOT_CANCELLABLE.',
  })
  @ApiBody({ type: CancelOrderBody, required: false })
  @ApiOkResponse({ type: OrderView })
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(CancelOrderRequestSchema)) body: CancelOrderRequest,
  ): Promise<OrderView> {
    return this.handler.execute(principal.tenantId, id, body?.reasonCode);
  }
}
