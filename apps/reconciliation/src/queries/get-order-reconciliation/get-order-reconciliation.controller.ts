import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiErrors,
  ApiOkFrom,
  CurrentPrincipal,
  REQUEST_MALFORMED,
  type Principal,
} from '@fapiao/platform/http';
import { ReconciliationErrors } from '../../domain/reconciliation.errors';
import { OrderReconciliationViewSchema, type OrderReconciliationView } from '../order-reconciliation.view';
import { GetOrderReconciliationHandler } from './get-order-reconciliation.handler';

@ApiTags('reconciliation')
@Controller('v1/reconciliation/orders')
export class GetOrderReconciliationController {
  constructor(private readonly handler: GetOrderReconciliationHandler) {}

  @Get(':orderId')
  @RequireScopes('invoices:read')
  @ApiOperation({ summary: 'What reconciliation has matched for an order, with its reversals' })
  @ApiOkFrom(OrderReconciliationViewSchema)
  @ApiErrors(REQUEST_MALFORMED, ReconciliationErrors.orderNotFound('{orderId}'))
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('orderId', ParseUUIDPipe) orderId: string,
  ): Promise<OrderReconciliationView> {
    return this.handler.execute(principal.tenantId, orderId);
  }
}
