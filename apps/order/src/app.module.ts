import { Module } from '@nestjs/common';
import { DeadLettersModule } from '@fapiao/platform/messaging';
import { PlatformModule } from '@fapiao/platform/service';
import { CancelOrderController } from './commands/cancel-order/cancel-order.controller';
import { CancelOrderHandler } from './commands/cancel-order/cancel-order.handler';
import { CreateOrderController } from './commands/create-order/create-order.controller';
import { CreateOrderHandler } from './commands/create-order/create-order.handler';
import { IngestInvoiceRequestConsumer } from './consumers/ingest-invoice-request/ingest-invoice-request.consumer';
import { TrackInvoiceConsumer } from './consumers/track-invoice/track-invoice.consumer';
import { IntakeBacklog } from './intake/intake-backlog';
import { IntakeBacklogGuard } from './intake/intake-backlog.guard';
import { IdempotencyPurge } from './infrastructure/idempotency-purge';
import { ORDER_REPOSITORIES } from './infrastructure/persistence';
import { ORDER_CONFIG, orderConfig } from './order.config';
import { GetAsyncApiController } from './queries/get-asyncapi/get-asyncapi.controller';
import { GetOrderController } from './queries/get-order/get-order.controller';
import { ListOrdersController } from './queries/list-orders/list-orders.controller';
import { ORDER_SCHEMA } from './schema';
import { ORDER_SERVICE } from './service';

@Module({
  imports: [
    // Intake goes on while Kafka is away (orders wait in the outbox): Kafka degrades readiness, never fails it.
    PlatformModule.forService({
      service: ORDER_SERVICE,
      schema: ORDER_SCHEMA,
      kafka: true,
      auth: true,
      whileKafkaDown: 'degraded',
    }),
    DeadLettersModule,
  ],
  controllers: [
    CreateOrderController,
    ListOrdersController,
    GetOrderController,
    CancelOrderController,
    IngestInvoiceRequestConsumer,
    TrackInvoiceConsumer,
    GetAsyncApiController,
  ],
  providers: [
    { provide: ORDER_CONFIG, useFactory: () => orderConfig.read() },
    ...ORDER_REPOSITORIES,
    CreateOrderHandler,
    CancelOrderHandler,
    IdempotencyPurge,
    IntakeBacklog,
    IntakeBacklogGuard,
  ],
})
export class AppModule {}
