import { Module } from '@nestjs/common';
import { SagaModule } from '@fapiao/platform/saga';
import { DeadLettersModule } from '@fapiao/platform/messaging';
import { PlatformModule } from '@fapiao/platform/service';
import { ReverseInvoiceController } from './commands/reverse-invoice/reverse-invoice.controller';
import { ReverseInvoiceHandler } from './commands/reverse-invoice/reverse-invoice.handler';
import { INVOICE_REPOSITORIES } from './infrastructure/persistence';
import { INVOICE_CONFIG, invoiceConfig } from './invoice.config';
import { IssuanceConsumer } from './issuance/issuance.consumer';
import { IssuanceProcess } from './issuance/issuance.process';
import { GetInvoiceController } from './queries/get-invoice/get-invoice.controller';
import { GetReversalController } from './queries/get-reversal/get-reversal.controller';
import { ListInvoicesController } from './queries/list-invoices/list-invoices.controller';
import { ReversalConsumer } from './reversal/reversal.consumer';
import { ReversalProcess } from './reversal/reversal.process';
import { INVOICE_SCHEMA } from './schema';
import { INVOICE_SERVICE } from './service';

@Module({
  imports: [
    PlatformModule.forService({ service: INVOICE_SERVICE, schema: INVOICE_SCHEMA, kafka: true, auth: true }),
    DeadLettersModule,
    SagaModule.forRoot(),
  ],
  controllers: [
    GetInvoiceController,
    GetReversalController,
    ListInvoicesController,
    ReverseInvoiceController,
    IssuanceConsumer,
    ReversalConsumer,
  ],
  providers: [
    { provide: INVOICE_CONFIG, useFactory: () => invoiceConfig.read() },
    ...INVOICE_REPOSITORIES,
    IssuanceProcess,
    ReversalProcess,
    ReverseInvoiceHandler,
  ],
})
export class AppModule {}
