import { normalizeFaults, planFault } from './fault-plan';

const now = new Date('2025-06-01T00:00:00Z');

describe('planFault', () => {
  const spec = normalizeFaults(
    {
      seed: 1,
      resetRate: 0.1,
      timeoutRate: 0.2,
      errorRate: 0.3,
      responseLostRate: 0.1,
      latencyMs: { min: 10, max: 20 },
    },
    99,
    now,
  );

  it('maps the outcome draw onto consecutive bands: reset, timeout, error, response lost, none', () => {
    const outcome = (draw: number) => planFault(spec, [0, draw, 0]).outcome.kind;
    expect([0, 0.099, 0.1, 0.299, 0.3, 0.599, 0.6, 0.699, 0.7, 0.999].map(outcome)).toEqual([
      'reset',
      'reset',
      'timeout',
      'timeout',
      'error',
      'error',
      'response_lost',
      'response_lost',
      'none',
      'none',
    ]);
  });

  it('spreads latency over [min, max] and picks the error status from the third draw', () => {
    expect(planFault(spec, [0, 0.9, 0]).delayMs).toBe(10);
    expect(planFault(spec, [0.999999, 0.9, 0]).delayMs).toBe(20);
    expect(planFault(spec, [0, 0.4, 0]).outcome).toEqual({ kind: 'error', status: 500 });
    expect(planFault(spec, [0, 0.4, 0.5]).outcome).toEqual({ kind: 'error', status: 502 });
    expect(planFault(spec, [0, 0.4, 0.99]).outcome).toEqual({ kind: 'error', status: 503 });
  });

  it('fills in defaults and the maintenance deadline', () => {
    expect(normalizeFaults({ maintenance: { forSeconds: 60 } }, 5, now)).toEqual({
      seed: 5,
      latencyMs: null,
      timeoutRate: 0,
      timeoutMode: 'hang',
      errorRate: 0,
      errorStatuses: [500, 502, 503],
      resetRate: 0,
      responseLostRate: 0,
      rateLimit: null,
      maintenance: { forSeconds: 60, until: '2025-06-01T00:01:00.000Z' },
      certificateExpired: false,
    });
    expect(planFault(normalizeFaults({}, 5, now), [0.5, 0, 0.5])).toEqual({
      delayMs: 0,
      outcome: { kind: 'none' },
    });
  });
});
