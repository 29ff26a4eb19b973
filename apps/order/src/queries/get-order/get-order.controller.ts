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
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository } from '../../domain/order.repository';
import { OrderView, OrderViewSchema } from '../order.view';

@ApiTags('orders')
@Controller('v1/orders')
export class GetOrderController {
  constructor(private readonly orders: OrderRepository) {}

  @Get(':id')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'An order of the caller’s tenant, with its invoicing state' })
  @ApiOkFrom(OrderViewSchema)
  @ApiErrors(REQUEST_MALFORMED, OrderErrors.notFound('{id}'))
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OrderView> {
    const order = await this.orders.findById(principal.tenantId, id);
    if (!order) throw OrderErrors.notFound(id);
    return OrderView.from(order);
  }
}
