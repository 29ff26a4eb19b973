import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LifecycleService } from './lifecycle.service';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

@Global()
@Module({})
export class HealthModule {
  /** `checks` are instantiated here, next to Terminus, from dependencies that global modules provide. */
  static forRoot(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ...checks,
        LifecycleService,
        {
          provide: READINESS_CHECKS,
          inject: checks,
          useFactory: (...instances: ReadinessCheck[]) => instances,
        },
      ],
      exports: [LifecycleService],
    };
  }
}
