import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  AUTHORITY_FAULT_KINDS,
  AuthorityErrorCodes,
  type AuthorityFaultKind,
  type AuthorityFaultSpec,
  type AuthorityFaultsRequest,
  type AuthorityFaultsView,
  type AuthorityMaintenanceCalendarRequest,
  type AuthorityStatus,
} from '@fapiao/contracts';
import { Clock } from '../domain/clock';
import { normalizeFaults, planFault, type FaultPlan } from '../domain/fault-plan';
import { nextWindow, parseMaintenanceDays, windowAt } from '@fapiao/invoice-domain';
import { InvoiceRateLimit } from '../domain/invoice-rate-limit';
import { SimErrors } from '../domain/sim.errors';
import { countFault } from '../metrics';
import { SIM_CONFIG, type SimConfig } from '../sim.config';

/** What happens to one authority request. */
export type GateDecision =
  | { kind: 'certificate_expired' }
  | { kind: 'maintenance'; until: Date; retryAfterSeconds: number }
  | { kind: 'rate_limited'; perSecond: number; retryAfterSeconds: number }
  | ({ kind: 'proceed' } & FaultPlan);

interface ActiveFaults {
  spec: AuthorityFaultSpec;
  rng: ReturnType<typeof xoroshiro128plus>;
  setAt: Date;
  requests: number;
  injected: Record<AuthorityFaultKind, number>;
  rateLimit?: InvoiceRateLimit;
}

const noneInjected = () =>
  Object.fromEntries(AUTHORITY_FAULT_KINDS.map((kind) => [kind, 0])) as Record<AuthorityFaultKind, number>;

/**
 * The simulator's gate in front of the authority endpoints: the injected faults (in memory, per process),
 * the maintenance calendar and the steady rate limit. Random faults come from a PRNG seeded by the fault
 * set, drawn in request arrival order, so a seed and a request sequence always give the same faults.
 */
@Injectable()
export class FaultsService {
  private active?: ActiveFaults;
  private readonly steadyLimit?: InvoiceRateLimit;
  private calendar: { enabled: boolean; days: string; parsed: ReadonlySet<number> };

  constructor(
    @Inject(SIM_CONFIG) config: SimConfig,
    private readonly clock: Clock,
  ) {
    const now = clock.now().getTime();
    if (config.rateLimitPerSecond) this.steadyLimit = new InvoiceRateLimit(config.rateLimitPerSecond, now);
    this.calendar = this.parseCalendar(config.maintenance.enabled, config.maintenance.days);
  }

  set(request: AuthorityFaultsRequest): AuthorityFaultsView {
    const now = this.clock.now();
    const spec = normalizeFaults(request, randomInt(0x7fffffff), now);
    this.active = {
      spec,
      rng: xoroshiro128plus(spec.seed),
      setAt: now,
      requests: 0,
      injected: noneInjected(),
      rateLimit: spec.rateLimit ? new InvoiceRateLimit(spec.rateLimit.perSecond, now.getTime()) : undefined,
    };
    return this.view();
  }

  clear(): void {
    this.active = undefined;
  }

  view(): AuthorityFaultsView {
    const active = this.active;
    return {
      active: active !== undefined,
      spec: active?.spec ?? null,
      setAt: active?.setAt.toISOString() ?? null,
      requests: active?.requests ?? 0,
      injected: active ? { ...active.injected } : noneInjected(),
    };
  }

  setCalendar(request: AuthorityMaintenanceCalendarRequest): AuthorityStatus {
    this.calendar = this.parseCalendar(request.enabled, request.days ?? this.calendar.days);
    return this.status();
  }

  status(): AuthorityStatus {
    const now = this.clock.now();
    const maintenance = this.maintenanceAt(now);
    const next = this.calendar.enabled ? nextWindow(now, this.calendar.parsed) : undefined;
    return {
      maintenance: {
        active: maintenance !== undefined,
        ...(maintenance && { until: maintenance.until.toISOString(), source: maintenance.source }),
        calendar: { enabled: this.calendar.enabled, days: this.calendar.days },
        nextWindow: next ? { start: next.start.toISOString(), end: next.end.toISOString() } : null,
      },
      rateLimit: { perSecond: this.active?.spec.rateLimit?.perSecond ?? this.steadyLimit?.perSecond ?? null },
      faults: this.view(),
    };
  }

  /**
   * Decides the fate of one authority request; called exactly once per request, in arrival order. A
   * batch is one request: one set of draws, so it is faulted (or not) as a whole, while the rate limit
   * counts its `invoices`.
   */
  decide(invoices = 1): GateDecision {
    const now = this.clock.now();
    const active = this.active;
    // Drawn first and always, so the n-th request meets the same draws whatever the deterministic checks say.
    const draws = active
      ? ([uniformFloat64(active.rng), uniformFloat64(active.rng), uniformFloat64(active.rng)] as const)
      : undefined;
    if (active) active.requests++;

    if (active?.spec.certificateExpired) {
      this.count('certificate_expired', 'injected');
      return { kind: 'certificate_expired' };
    }
    const maintenance = this.maintenanceAt(now);
    if (maintenance) {
      this.count('maintenance', maintenance.source);
      const retryAfterSeconds = Math.max(1, Math.ceil((maintenance.until.getTime() - now.getTime()) / 1000));
      return { kind: 'maintenance', until: maintenance.until, retryAfterSeconds };
    }
    const limit = active?.rateLimit ?? this.steadyLimit;
    const taken = limit?.take(now.getTime(), invoices);
    if (limit && taken && !taken.ok) {
      this.count('rate_limited', limit === this.steadyLimit ? 'configured' : 'injected');
      return { kind: 'rate_limited', perSecond: limit.perSecond, retryAfterSeconds: taken.retryAfterSeconds };
    }
    if (!active || !draws) return { kind: 'proceed', delayMs: 0, outcome: { kind: 'none' } };
    const plan = planFault(active.spec, draws);
    if (plan.delayMs > 0) this.count('latency', 'injected');
    if (plan.outcome.kind !== 'none') this.count(plan.outcome.kind, 'injected');
    return { kind: 'proceed', ...plan };
  }

  /** Injected maintenance wins over the calendar; either way the answer names when it ends. */
  private maintenanceAt(now: Date): { until: Date; source: 'injected' | 'calendar' } | undefined {
    const injected = this.active?.spec.maintenance;
    if (injected && now.getTime() < Date.parse(injected.until)) {
      return { until: new Date(injected.until), source: 'injected' };
    }
    const window = this.calendar.enabled ? windowAt(now, this.calendar.parsed) : undefined;
    return window && { until: window.end, source: 'calendar' };
  }

  private count(kind: AuthorityFaultKind, source: 'injected' | 'calendar' | 'configured'): void {
    if (source === 'injected' && this.active) this.active.injected[kind]++;
    countFault(kind, source);
  }

  private parseCalendar(enabled: boolean, days: string) {
    const parsed = parseMaintenanceDays(days);
    if (!parsed.ok) throw SimErrors.reject(AuthorityErrorCodes.requestInvalid, parsed.message, 'days');
    return { enabled, days, parsed: parsed.days };
  }
}
