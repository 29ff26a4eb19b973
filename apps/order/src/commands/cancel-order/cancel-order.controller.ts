import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { holdsScopes, RequireScopes, RequireScopesWhen } from '@fapiao/platform/auth';
import {
  ApiBodyFrom,
  ApiErrors,
  ApiOkFrom,
  CurrentPrincipal,
  REQUEST_MALFORMED,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { OrderErrors } from '../../domain/order.errors';
import { OrderViewSchema, type OrderView } from '../../queries/order.view';
import { CancelOrderRequestSchema, type CancelOrderRequest } from './cancel-order.dto';
import { CancelOrderHandler } from './cancel-order.handler';

@ApiTags('orders')
@Controller('v1/orders')
export class CancelOrderController {
  constructor(private readonly handler: CancelOrderHandler) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('orders:write')
  @RequireScopesWhen(
    'the order is INVOICED or PARTIALLY_REVERSED (the cancel reverses its invoice)',
    'invoices:reverse',
  )
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Not yet invoiced (or rejected, or fully reversed): CANCELLED at once. Invoiced or partially reversed: ' +
      'CANCELLING until the red-letter reversal of what remains is issued, then CANCELLED. Cancelling a ' +
      'CANCELLING or CANCELLED order answers it unchanged. While INVOICING: 409 ORDER.NOT_CANCELLABLE. ' +
      'Reversing an invoice takes the invoices:reverse scope as well: without it, cancelling an invoiced ' +
      'order is refused with 403 ORDER.REVERSAL_NOT_PERMITTED and changes nothing.',
  })
  @ApiBodyFrom(CancelOrderRequestSchema, { example: { reasonCode: '02' } })
  @ApiOkFrom(OrderViewSchema)
  @ApiErrors(
    REQUEST_MALFORMED,
    requestInvalid(),
    OrderErrors.notFound('{id}'),
    OrderErrors.notCancellable('INVOICING'),
    OrderErrors.reversalNotPermitted(),
    OrderErrors.concurrentUpdate('{id}'),
  )
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(CancelOrderRequestSchema)) body: CancelOrderRequest,
  ): Promise<OrderView> {
    return this.handler.execute(
      principal.tenantId,
      id,
      body?.reasonCode,
      holdsScopes(principal, 'invoices:reverse'),
    );
  }
}
