import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { LifecycleService } from './lifecycle.service';
import {
  HEALTH_SERVICE_NAME,
  INFORMATIONAL_CHECKS,
  READINESS_CHECKS,
  type DependencyRole,
  type ReadinessCheck,
  type RegisteredCheck,
} from './readiness';

export interface HealthOptions {
  /** Short service name, shown on `/health/deps`. */
  service: string;
  /** Down → not ready (503). */
  required: Type<ReadinessCheck>[];
  /** Down → still ready (200), reported as degraded. */
  degradable?: Type<ReadinessCheck>[];
  /**
   * On `/health/deps` only. Providers of the app module (which lists them itself): they may depend on
   * the service's own providers, which this module cannot see; they are looked up once the app is built.
   */
  informational?: Type<ReadinessCheck>[];
}

@Global()
@Module({})
export class HealthModule {
  /** `checks` are instantiated here, next to Terminus, from dependencies that global modules provide. */
  static forRoot(options: HealthOptions): DynamicModule {
    const roles: [DependencyRole, Type<ReadinessCheck>[]][] = [
      ['required', options.required],
      ['degradable', options.degradable ?? []],
    ];
    const types = roles.flatMap(([, checks]) => checks);
    const roleOf = roles.flatMap(([role, checks]) => checks.map(() => role));
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ...new Set(types),
        LifecycleService,
        HealthService,
        { provide: HEALTH_SERVICE_NAME, useValue: options.service },
        { provide: INFORMATIONAL_CHECKS, useValue: options.informational ?? [] },
        {
          provide: READINESS_CHECKS,
          inject: types,
          useFactory: (...instances: ReadinessCheck[]): RegisteredCheck[] =>
            instances.map((check, index) => ({ role: roleOf[index], check })),
        },
      ],
      // Terminus's HealthIndicatorService, for dependency checks that live in the app module.
      exports: [LifecycleService, TerminusModule],
    };
  }
}
