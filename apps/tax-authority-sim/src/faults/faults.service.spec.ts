import type { AuthorityFaultsRequest } from '@fapiao/contracts';
import { Clock } from '../domain/clock';
import type { SimConfig } from '../sim.config';
import { FaultsService, type GateDecision } from './faults.service';

class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return this.at;
  }
}

const config = (overrides: Partial<SimConfig> = {}): SimConfig => ({
  channel: '1',
  numberBlockSize: 1_000,
  maintenance: { enabled: false, days: '25-27' },
  rateLimitPerSecond: null,
  adminToken: null,
  ...overrides,
});
const outside = new Date('2025-06-10T04:00:00Z');

/** The decisions for `count` requests with the given faults, on a fresh service. */
function sequence(faults: AuthorityFaultsRequest, count: number): GateDecision[] {
  const service = new FaultsService(config(), new FixedClock(outside));
  service.set(faults);
  return Array.from({ length: count }, () => service.decide());
}

describe('FaultsService', () => {
  const faults = {
    seed: 7,
    errorRate: 0.3,
    timeoutRate: 0.1,
    responseLostRate: 0.05,
    latencyMs: { min: 0, max: 50 },
  };

  it('gives the same faults for the same seed and request sequence', () => {
    const first = sequence(faults, 200);
    expect(sequence(faults, 200)).toEqual(first);
    const kinds = new Set(
      first.map((decision) => (decision.kind === 'proceed' ? decision.outcome.kind : decision.kind)),
    );
    expect(kinds).toEqual(new Set(['none', 'error', 'timeout', 'response_lost']));
  });

  it('gives another sequence for another seed, at about the configured rates', () => {
    expect(sequence({ ...faults, seed: 8 }, 200)).not.toEqual(sequence(faults, 200));
    const errors = sequence({ seed: 3, errorRate: 0.3 }, 5000).filter(
      (decision) => decision.kind === 'proceed' && decision.outcome.kind === 'error',
    ).length;
    expect(errors / 5000).toBeGreaterThan(0.27);
    expect(errors / 5000).toBeLessThan(0.33);
  });

  it('keeps the draws aligned with the request count whatever the deterministic answers are', () => {
    const service = new FaultsService(config(), new FixedClock(outside));
    service.set({ ...faults, certificateExpired: true });
    for (let i = 0; i < 10; i++) expect(service.decide()).toEqual({ kind: 'certificate_expired' });
    service.set(faults);
    const afterReset = Array.from({ length: 20 }, () => service.decide());
    expect(afterReset).toEqual(sequence(faults, 20));
    expect(service.view()).toMatchObject({ active: true, requests: 20 });
  });

  it('answers maintenance (injected, then the calendar) with the seconds until it ends', () => {
    const clock = new FixedClock(new Date('2025-06-24T15:59:00Z'));
    const service = new FaultsService(config({ maintenance: { enabled: true, days: '25-27' } }), clock);
    expect(service.decide().kind).toBe('proceed');
    service.set({ maintenance: { forSeconds: 30 } });
    expect(service.decide()).toMatchObject({ kind: 'maintenance', retryAfterSeconds: 30 });
    clock.at = new Date('2025-06-24T16:00:00Z');
    expect(service.decide()).toMatchObject({ kind: 'maintenance', retryAfterSeconds: 3 * 86_400 });
    expect(service.status().maintenance).toMatchObject({
      active: true,
      source: 'calendar',
      until: '2025-06-27T16:00:00.000Z',
      nextWindow: { start: '2025-07-24T16:00:00.000Z', end: '2025-07-27T16:00:00.000Z' },
    });
    service.setCalendar({ enabled: false });
    expect(service.decide().kind).toBe('proceed');
    expect(service.status().maintenance).toMatchObject({ active: false, nextWindow: null });
  });

  it('rate-limits beyond the injected or configured rate', () => {
    const service = new FaultsService(config({ rateLimitPerSecond: 2 }), new FixedClock(outside));
    expect([service.decide(), service.decide(), service.decide()].map((decision) => decision.kind)).toEqual([
      'proceed',
      'proceed',
      'rate_limited',
    ]);
    service.set({ rateLimit: { perSecond: 1 } });
    expect(service.decide().kind).toBe('proceed');
    expect(service.decide()).toEqual({ kind: 'rate_limited', perSecond: 1, retryAfterSeconds: 1 });
    service.clear();
    expect(service.view()).toMatchObject({ active: false, spec: null });
  });
});
