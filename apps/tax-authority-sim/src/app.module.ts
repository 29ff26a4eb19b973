import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@fapiao/platform/service';
import { AnswerRedLetterFormController } from './commands/answer-red-letter-form/answer-red-letter-form.controller';
import { AnswerRedLetterFormHandler } from './commands/answer-red-letter-form/answer-red-letter-form.handler';
import { ConfirmBuyerUseController } from './commands/confirm-buyer-use/confirm-buyer-use.controller';
import { IssueInvoiceBatchController } from './commands/issue-invoice-batch/issue-invoice-batch.controller';
import { IssueInvoiceBatchHandler } from './commands/issue-invoice-batch/issue-invoice-batch.handler';
import { IssueInvoiceController } from './commands/issue-invoice/issue-invoice.controller';
import { IssueInvoiceHandler } from './commands/issue-invoice/issue-invoice.handler';
import { RaiseRedLetterFormController } from './commands/raise-red-letter-form/raise-red-letter-form.controller';
import { RaiseRedLetterFormHandler } from './commands/raise-red-letter-form/raise-red-letter-form.handler';
import { SetFaultsController } from './commands/set-faults/set-faults.controller';
import { SetMaintenanceCalendarController } from './commands/set-maintenance-calendar/set-maintenance-calendar.controller';
import { AdminTokenGuard } from './control/admin-token.guard';
import { Clock, SystemClock } from './domain/clock';
import { FaultInterceptor } from './faults/fault.interceptor';
import { FaultsService } from './faults/faults.service';
import { NumberAllocator } from './infrastructure/number-allocator';
import { SimRepository, TypeOrmSimRepository } from './infrastructure/sim.repository';
import { GetInvoiceController } from './queries/get-invoice/get-invoice.controller';
import { GetRedLetterFormController } from './queries/get-red-letter-form/get-red-letter-form.controller';
import { GetStatusController } from './queries/get-status/get-status.controller';
import { ListInvoicesController } from './queries/list-invoices/list-invoices.controller';
import { SIM_ENTITIES, SIM_SCHEMA } from './schema';
import { SIM_SERVICE } from './service';
import { SIM_CONFIG, simConfig } from './sim.config';

/** Stands in for the tax authority: no Kafka, and its own authentication model rather than our JWTs. */
@Module({
  imports: [
    PlatformModule.forService({ service: SIM_SERVICE, schema: SIM_SCHEMA, kafka: false, auth: false }),
    TypeOrmModule.forFeature(SIM_ENTITIES),
  ],
  controllers: [
    IssueInvoiceBatchController,
    IssueInvoiceController,
    ConfirmBuyerUseController,
    ListInvoicesController,
    GetInvoiceController,
    RaiseRedLetterFormController,
    AnswerRedLetterFormController,
    GetRedLetterFormController,
    SetFaultsController,
    SetMaintenanceCalendarController,
    GetStatusController,
  ],
  providers: [
    { provide: SIM_CONFIG, useFactory: () => simConfig.read() },
    { provide: Clock, useClass: SystemClock },
    { provide: SimRepository, useClass: TypeOrmSimRepository },
    AdminTokenGuard,
    FaultsService,
    FaultInterceptor,
    NumberAllocator,
    IssueInvoiceHandler,
    IssueInvoiceBatchHandler,
    RaiseRedLetterFormHandler,
    AnswerRedLetterFormHandler,
  ],
})
export class AppModule {}
