import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorResult, HealthIndicatorStatus } from '@nestjs/terminus';
import { LifecycleService } from './lifecycle.service';
import {
  HEALTH_SERVICE_NAME,
  INFORMATIONAL_CHECKS,
  READINESS_CHECKS,
  type DependencyRole,
  type ReadinessCheck,
  type RegisteredCheck,
} from './readiness';

/** One dependency as `/health/deps` shows it. */
export interface DependencyView {
  name: string;
  /** The dependency itself: `down` means it does not answer, whatever that means for the service. */
  status: HealthIndicatorStatus;
  /** What its failure does to `/readyz`: 503 (`required`), 200 degraded (`degradable`), nothing (`informational`). */
  role: DependencyRole;
  latencyMs: number;
  detail: Record<string, unknown>;
}

export interface DependencyReport {
  service: string;
  /** `error`: a required dependency is down; `degraded`: something is impaired but the service works. */
  status: 'ok' | 'degraded' | 'error';
  /** Whether `/readyz` answers 200 now. */
  ready: boolean;
  draining: boolean;
  checkedAt: string;
  dependencies: DependencyView[];
}

const MAX_TEXT = 300;

/** Credentials in URLs (`scheme://user:password@host`) never leave the process; long texts are cut. */
export function sanitizeDetail(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const masked = value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
    return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}…` : masked;
  }
  if (Array.isArray(value)) return depth > 3 ? '…' : value.map((item) => sanitizeDetail(item, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 3) return '…';
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !/secret|password|token|credential|authorization/i.test(key))
        .map(([key, item]) => [key, sanitizeDetail(item, depth + 1)]),
    );
  }
  return value;
}

async function settle(check: ReadinessCheck): Promise<HealthIndicatorResult> {
  try {
    return await check.check();
  } catch (error) {
    // A check that throws instead of reporting `down` must still name itself; the class name does.
    const name = check.constructor.name.replace(/Readiness$|Dependency$/, '') || 'check';
    return {
      [name.charAt(0).toLowerCase() + name.slice(1)]: {
        status: 'down',
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

/** Runs the service's checks for `/readyz` (with roles applied) and for `/health/deps` (as they are). */
@Injectable()
export class HealthService implements OnModuleInit {
  private readonly checks: RegisteredCheck[];

  constructor(
    @Inject(READINESS_CHECKS) checks: RegisteredCheck[],
    @Inject(INFORMATIONAL_CHECKS) private readonly informational: Type<ReadinessCheck>[],
    @Inject(HEALTH_SERVICE_NAME) private readonly service: string,
    private readonly lifecycle: LifecycleService,
    private readonly moduleRef: ModuleRef,
  ) {
    this.checks = [...checks];
  }

  onModuleInit(): void {
    for (const type of this.informational) {
      this.checks.push({ role: 'informational', check: this.moduleRef.get(type, { strict: false }) });
    }
  }

  /** Terminus indicators: required checks as they are, degradable ones with `down` turned into `degraded`. */
  readinessIndicators(): (() => Promise<HealthIndicatorResult>)[] {
    return this.checks
      .filter(({ role }) => role !== 'informational')
      .map(({ role, check }) => async () => {
        const result = await settle(check);
        if (role !== 'degradable') return result;
        return Object.fromEntries(
          Object.entries(result).map(([key, value]) => [
            key,
            value.status === 'down' ? { ...value, status: 'degraded' as const } : value,
          ]),
        );
      });
  }

  async dependencies(): Promise<DependencyReport> {
    const views = await Promise.all(
      this.checks.map(async ({ role, check }) => {
        const started = performance.now();
        const result = await settle(check);
        const latencyMs = Math.round(performance.now() - started);
        return Object.entries(result).map(([name, value]): DependencyView => {
          const { status, responseTime, ...detail } = value as Record<string, unknown> & {
            status: HealthIndicatorStatus;
            responseTime?: number;
          };
          return {
            name,
            status,
            role,
            latencyMs: typeof responseTime === 'number' ? responseTime : latencyMs,
            detail: sanitizeDetail(detail) as Record<string, unknown>,
          };
        });
      }),
    );
    const dependencies = views.flat();
    const failed = dependencies.some((dep) => dep.role === 'required' && dep.status === 'down');
    const impaired = dependencies.some((dep) => dep.status !== 'up');
    const draining = this.lifecycle.draining;
    return {
      service: this.service,
      status: failed ? 'error' : impaired ? 'degraded' : 'ok',
      ready: !failed && !draining,
      draining,
      checkedAt: new Date().toISOString(),
      dependencies,
    };
  }
}
