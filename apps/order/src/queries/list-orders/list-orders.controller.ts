import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import { CurrentPrincipal, ZodValidationPipe, type Principal } from '@fapiao/platform/http';
import { ORDER_STATUSES } from '../../domain/order-status';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderView } from '../order.view';
import { ListOrdersQuery, ListOrdersQuerySchema } from './list-orders.query';

class OrderPageView {
  @ApiProperty({ type: [OrderView] }) items: OrderView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class ListOrdersController {
  constructor(private readonly orders: OrderRepository) {}

  @Get()
  @RequireScopes('orders:read')
  @ApiQuery({ name: 'status', required: false, enum: ORDER_STATUSES })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiOkResponse({ type: OrderPageView })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListOrdersQuerySchema)) query: ListOrdersQuery,
  ): Promise<OrderPageView> {
    const { items, total } = await this.orders.list(principal.tenantId, query);
    return {
      items: items.map((order) => OrderView.from(order)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
