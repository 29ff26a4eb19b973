import type { AuthorityFaultSpec, AuthorityFaultsRequest } from '@fapiao/contracts';

/** What happens to one request that got past maintenance and rate limiting. */
export type FaultOutcome =
  | { kind: 'none' }
  | { kind: 'reset' }
  | { kind: 'timeout'; mode: AuthorityFaultSpec['timeoutMode'] }
  | { kind: 'error'; status: number }
  | { kind: 'response_lost' };

export interface FaultPlan {
  delayMs: number;
  outcome: FaultOutcome;
}

/**
 * Uniform draws in [0, 1) taken per request, in this order: latency, outcome, error status. Always all
 * three, so the n-th request of a seed meets the same draws whichever faults are switched on.
 */
export const DRAWS_PER_REQUEST = 3;

/** Fills in every default, so what GET /v1/faults shows is exactly what is in force. */
export function normalizeFaults(
  request: AuthorityFaultsRequest,
  seed: number,
  now: Date,
): AuthorityFaultSpec {
  return {
    seed: request.seed ?? seed,
    latencyMs: request.latencyMs ?? null,
    timeoutRate: request.timeoutRate ?? 0,
    timeoutMode: request.timeoutMode ?? 'hang',
    errorRate: request.errorRate ?? 0,
    errorStatuses: request.errorStatuses ?? [500, 502, 503],
    resetRate: request.resetRate ?? 0,
    responseLostRate: request.responseLostRate ?? 0,
    rateLimit: request.rateLimit ?? null,
    maintenance: request.maintenance
      ? {
          forSeconds: request.maintenance.forSeconds,
          until: new Date(now.getTime() + request.maintenance.forSeconds * 1000).toISOString(),
        }
      : null,
    certificateExpired: request.certificateExpired ?? false,
  };
}

/**
 * The plan for one request from its three draws: a latency uniform in [min, max], then one outcome from
 * consecutive bands of the outcome draw — reset, timeout, error, response lost, none.
 */
export function planFault(spec: AuthorityFaultSpec, draws: readonly [number, number, number]): FaultPlan {
  const [latencyDraw, outcomeDraw, statusDraw] = draws;
  const delayMs = spec.latencyMs
    ? Math.min(
        spec.latencyMs.max,
        spec.latencyMs.min + Math.floor(latencyDraw * (spec.latencyMs.max - spec.latencyMs.min + 1)),
      )
    : 0;
  const bands: [number, () => FaultOutcome][] = [
    [spec.resetRate, () => ({ kind: 'reset' })],
    [spec.timeoutRate, () => ({ kind: 'timeout', mode: spec.timeoutMode })],
    [
      spec.errorRate,
      () => ({
        kind: 'error',
        status: spec.errorStatuses[Math.floor(statusDraw * spec.errorStatuses.length)],
      }),
    ],
    [spec.responseLostRate, () => ({ kind: 'response_lost' })],
  ];
  let upper = 0;
  for (const [rate, outcome] of bands) {
    // Rounded so that bands of 0.1 and 0.2 end at 0.3, not at 0.30000000000000004.
    upper = Math.round((upper + rate) * 1e12) / 1e12;
    if (outcomeDraw < upper) return { delayMs, outcome: outcome() };
  }
  return { delayMs, outcome: { kind: 'none' } };
}
