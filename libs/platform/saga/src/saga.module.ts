import { Module, type DynamicModule } from '@nestjs/common';
import { ClockModule } from '@fapiao/platform/resilience';
import { SAGA_CONFIG, sagaConfig } from './saga.config';
import { SagaEngine } from './saga.engine';
import { SagaOpsController } from './saga-ops.controller';
import { SagaTimer } from './saga.timer';

/**
 * The saga engine, its sweeper and the operator API. Needs TypeORM's DataSource (PersistenceModule)
 * and the OutboxWriter (MessagingModule); add SAGA_SCHEMA to the service's schema.
 */
@Module({})
export class SagaModule {
  static forRoot(): DynamicModule {
    return {
      module: SagaModule,
      global: true,
      imports: [ClockModule],
      providers: [{ provide: SAGA_CONFIG, useFactory: () => sagaConfig.read() }, SagaEngine, SagaTimer],
      controllers: [SagaOpsController],
      exports: [SagaEngine, SagaTimer],
    };
  }
}
