import type { HealthIndicatorResult } from '@nestjs/terminus';

/** A dependency that must work before the service takes traffic (DB, migrations, Kafka, …). */
export interface ReadinessCheck {
  check(): PromiseLike<HealthIndicatorResult>;
}

/** Provider token under which each service lists its readiness checks. */
export const READINESS_CHECKS = 'fapiao:readiness-checks';
