import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '@fapiao/platform/http';
import { LifecycleService } from './lifecycle.service';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly lifecycle: LifecycleService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** Liveness: the process answers. Never checks dependencies, so an outage cannot cause restart loops. */
  @Get('healthz')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency the service needs to do its work. */
  @Get('readyz')
  @HealthCheck()
  readiness(): Promise<HealthCheckResult> {
    if (this.lifecycle.draining) {
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { shutdown: { status: 'down' } },
      });
    }
    return this.health.check(this.checks.map((check) => () => Promise.resolve(check.check())));
  }
}
