import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@fapiao/platform/service';
import { OrderRepository, TypeOrmOrderRepository } from './infrastructure/order.repository';
import { GetOrderController } from './queries/get-order/get-order.controller';
import { ListOrdersController } from './queries/list-orders/list-orders.controller';
import { ORDER_ENTITIES, ORDER_SCHEMA } from './schema';
import { ORDER_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({ service: ORDER_SERVICE, schema: ORDER_SCHEMA, kafka: true, auth: true }),
    TypeOrmModule.forFeature(ORDER_ENTITIES),
  ],
  controllers: [ListOrdersController, GetOrderController],
  providers: [{ provide: OrderRepository, useClass: TypeOrmOrderRepository }],
})
export class AppModule {}
