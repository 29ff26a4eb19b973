import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, type Principal } from '@fapiao/platform/http';
import { OrderErrors } from '../../domain/order.errors';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderView } from '../order.view';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class GetOrderController {
  constructor(private readonly orders: OrderRepository) {}

  @Get(':id')
  @RequireScopes('orders:read')
  @ApiOkResponse({ type: OrderView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OrderView> {
    const order = await this.orders.findById(principal.tenantId, id);
    if (!order) throw OrderErrors.notFound(id);
    return OrderView.from(order);
  }
}
