import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { z } from 'zod';
import { ApiErrors, ApiOkFrom, Public } from '@fapiao/platform/http';
import { LifecycleService } from './lifecycle.service';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

const CheckResults = z
  .record(z.string(), z.looseObject({ status: z.enum(['up', 'down']) }))
  .describe('Per dependency: database, kafka, consumers, …');

/** Terminus's HealthCheckResult. */
const ReadinessSchema = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: CheckResults.optional(),
  error: CheckResults.optional(),
  details: CheckResults,
});

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
  @ApiOperation({ summary: 'Liveness: the process answers (never checks dependencies)' })
  @ApiOkFrom(z.object({ status: z.literal('ok') }))
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency the service needs to do its work. */
  @Get('readyz')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: every dependency the service needs is up, and it is not draining' })
  @ApiOkFrom(ReadinessSchema)
  @ApiErrors({
    status: 503,
    code: 'SERVICE.NOT_READY',
    message: 'A dependency is unavailable',
  })
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
