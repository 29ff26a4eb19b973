import { Module } from '@nestjs/common';
import { DeadLettersModule } from '@fapiao/platform/messaging';
import { PlatformModule } from '@fapiao/platform/service';
import { RecordFactsConsumer } from './consumers/record-facts/record-facts.consumer';
import { RECONCILIATION_REPOSITORIES } from './infrastructure/persistence';
import { LedgerService } from './ledger.service';
import { GetOrderReconciliationController } from './queries/get-order-reconciliation/get-order-reconciliation.controller';
import { GetOrderReconciliationHandler } from './queries/get-order-reconciliation/get-order-reconciliation.handler';
import { ListDiscrepanciesController } from './queries/list-discrepancies/list-discrepancies.controller';
import { RECON_CONFIG, reconConfig } from './recon.config';
import { RECONCILIATION_SCHEMA } from './schema';
import { RECONCILIATION_SERVICE } from './service';
import { StaleOrderSweep } from './sweep/stale-order-sweep';

@Module({
  imports: [
    PlatformModule.forService({
      service: RECONCILIATION_SERVICE,
      schema: RECONCILIATION_SCHEMA,
      kafka: true,
      auth: true,
    }),
    DeadLettersModule,
  ],
  controllers: [RecordFactsConsumer, ListDiscrepanciesController, GetOrderReconciliationController],
  providers: [
    { provide: RECON_CONFIG, useFactory: () => reconConfig.read() },
    ...RECONCILIATION_REPOSITORIES,
    LedgerService,
    GetOrderReconciliationHandler,
    StaleOrderSweep,
  ],
})
export class AppModule {}
