import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@fapiao/platform/auth';
import {
  ApiErrors,
  ApiOkFrom,
  ApiQueryFrom,
  CurrentPrincipal,
  requestInvalid,
  ZodValidationPipe,
  type Principal,
} from '@fapiao/platform/http';
import { OrderRepository } from '../../domain/order.repository';
import { OrderPageSchema, OrderView, type OrderPage } from '../order.view';
import { ListOrdersQuery, ListOrdersQuerySchema } from './list-orders.query';

@ApiTags('orders')
@Controller('v1/orders')
export class ListOrdersController {
  constructor(private readonly orders: OrderRepository) {}

  @Get()
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'The caller’s orders, newest first' })
  @ApiQueryFrom(ListOrdersQuerySchema)
  @ApiOkFrom(OrderPageSchema)
  @ApiErrors(requestInvalid())
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListOrdersQuerySchema)) query: ListOrdersQuery,
  ): Promise<OrderPage> {
    const { items, total } = await this.orders.list(principal.tenantId, query);
    return {
      items: items.map((order) => OrderView.from(order)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
