import type { HealthIndicatorResult } from '@nestjs/terminus';

/** A dependency that must work before the service takes traffic (DB, migrations, Kafka, …). */
export interface ReadinessCheck {
  check(): PromiseLike<HealthIndicatorResult>;
}

/**
 * What a dependency's failure means for readiness:
 * - `required`: down → `/readyz` 503 (the service cannot do its work: the database, or Kafka for a
 *   service whose work is consuming);
 * - `degradable`: down → `/readyz` 200 with the dependency `degraded` (the service still accepts its work,
 *   e.g. order's intake into the outbox while Kafka is away);
 * - `informational`: shown on `/health/deps` only (e.g. tax-bridge's view of the authority, whose
 *   outages the store-and-forward queue absorbs).
 */
export type DependencyRole = 'required' | 'degradable' | 'informational';

export interface RegisteredCheck {
  role: DependencyRole;
  check: ReadinessCheck;
}

/** Provider token under which each service lists its checks with their roles. */
export const READINESS_CHECKS = 'fapiao:readiness-checks';

/** Provider token of the service's short name, shown on `/health/deps`. */
export const HEALTH_SERVICE_NAME = 'fapiao:health-service-name';

/** Provider token of the check types shown on `/health/deps` only (resolved from the app module). */
export const INFORMATIONAL_CHECKS = 'fapiao:informational-checks';
