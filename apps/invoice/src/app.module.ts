import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SagaModule } from '@fapiao/platform/saga';
import { PlatformModule } from '@fapiao/platform/service';
import { ReverseInvoiceController } from './commands/reverse-invoice/reverse-invoice.controller';
import { ReverseInvoiceHandler } from './commands/reverse-invoice/reverse-invoice.handler';
import { OrderCancelledConsumer } from './consumers/order-cancelled/order-cancelled.consumer';
import { StartIssuanceConsumer } from './consumers/start-issuance/start-issuance.consumer';
import { TrackAuthorityConsumer } from './consumers/track-authority/track-authority.consumer';
import { TrackReversalConsumer } from './consumers/track-reversal/track-reversal.consumer';
import { ReversalRepository, TypeOrmReversalRepository } from './infrastructure/reversal.repository';
import { GetReversalController } from './queries/get-reversal/get-reversal.controller';
import { ReversalStarter } from './saga/reversal-starter';
import { ReversalSaga } from './saga/reversal.saga';
import { InvoiceRepository, TypeOrmInvoiceRepository } from './infrastructure/invoice.repository';
import { INVOICE_CONFIG, invoiceConfig } from './invoice.config';
import { GetInvoiceController } from './queries/get-invoice/get-invoice.controller';
import { ListInvoicesController } from './queries/list-invoices/list-invoices.controller';
import { IssuanceSaga } from './saga/issuance.saga';
import { INVOICE_ENTITIES, INVOICE_SCHEMA } from './schema';
import { INVOICE_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({ service: INVOICE_SERVICE, schema: INVOICE_SCHEMA, kafka: true, auth: true }),
    TypeOrmModule.forFeature(INVOICE_ENTITIES),
    SagaModule.forRoot(),
  ],
  controllers: [
    GetInvoiceController,
    GetReversalController,
    ListInvoicesController,
    ReverseInvoiceController,
    StartIssuanceConsumer,
    TrackAuthorityConsumer,
    TrackReversalConsumer,
    OrderCancelledConsumer,
  ],
  providers: [
    { provide: INVOICE_CONFIG, useFactory: () => invoiceConfig.read() },
    { provide: InvoiceRepository, useClass: TypeOrmInvoiceRepository },
    { provide: ReversalRepository, useClass: TypeOrmReversalRepository },
    IssuanceSaga,
    ReversalSaga,
    ReversalStarter,
    ReverseInvoiceHandler,
  ],
})
export class AppModule {}
