import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { z } from 'zod';
import { ApiErrors, ApiOkFrom, Public } from '@fapiao/platform/http';
import { HealthService, type DependencyReport } from './health.service';
import { LifecycleService } from './lifecycle.service';

const Status = z.enum(['up', 'degraded', 'down']);

const CheckResults = z
  .record(z.string(), z.looseObject({ status: Status }))
  .describe('Per dependency: database, kafka, consumers, …');

/** Terminus's HealthCheckResult, plus the names of the degraded dependencies. */
const ReadinessSchema = z.object({
  status: z.enum(['ok', 'degraded', 'error', 'shutting_down']),
  info: CheckResults.optional(),
  error: CheckResults.optional(),
  details: CheckResults,
  degraded: z
    .array(z.string())
    .optional()
    .describe('Dependencies that are impaired while the service still does its work (e.g. kafka on order)'),
});

const DependencyReportSchema = z.object({
  service: z.string(),
  status: z.enum(['ok', 'degraded', 'error']),
  ready: z.boolean().describe('Whether /readyz answers 200 now'),
  draining: z.boolean(),
  checkedAt: z.string(),
  dependencies: z.array(
    z.object({
      name: z.string(),
      status: Status.describe('The dependency itself, whatever that means for readiness'),
      role: z
        .enum(['required', 'degradable', 'informational'])
        .describe(
          'required: down → /readyz 503; degradable: down → /readyz 200 degraded; informational: here only',
        ),
      latencyMs: z.number(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly lifecycle: LifecycleService,
    private readonly service: HealthService,
  ) {}

  /** Liveness: the process answers. Never checks dependencies, so an outage cannot cause restart loops. */
  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers (never checks dependencies)' })
  @ApiOkFrom(z.object({ status: z.literal('ok') }))
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: every dependency the service needs to do its work. A degradable dependency that is down
   * (Kafka for order's intake) keeps the answer at 200 with `status: "degraded"` and its name in `degraded`.
   */
  @Get('readyz')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: every dependency the service needs is up (or only degraded), and it is not draining',
  })
  @ApiOkFrom(ReadinessSchema)
  @ApiErrors({
    status: 503,
    code: 'SERVICE.NOT_READY',
    message: 'A dependency is unavailable',
  })
  async readiness(): Promise<HealthCheckResult & { degraded?: string[] }> {
    if (this.lifecycle.draining) {
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { shutdown: { status: 'down' } },
      });
    }
    const result = await this.health.check(this.service.readinessIndicators());
    const degraded = Object.entries(result.details)
      .filter(([, value]) => value.status === 'degraded')
      .map(([name]) => name);
    return degraded.length > 0 ? { ...result, degraded } : result;
  }

  /**
   * Every dependency as it is (up, degraded or down), with its latency, detail and what it means for
   * readiness: for people and `fapiao doctor`. Always 200 while the service runs; never secrets.
   */
  @Get('health/deps')
  @ApiOperation({
    summary: 'Dependency view: each dependency with status, latency, detail and readiness role',
  })
  @ApiOkFrom(DependencyReportSchema)
  dependencies(): Promise<DependencyReport> {
    return this.service.dependencies();
  }
}
