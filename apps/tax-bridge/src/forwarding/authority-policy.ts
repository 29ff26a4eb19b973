import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { Gauge } from 'prom-client';
import {
  AuthorityPaused,
  OutcomeUnknown,
  PAUSE_REASONS,
  type PauseReason,
} from '../domain/authority-outcome';
import { nextWindow, windowAt, type TimeWindow } from '@fapiao/invoice-domain';
import { TokenBucket } from '@fapiao/platform/resilience';
import type { TaxBridgeConfig } from '../tax-bridge.config';

export const circuitStateGauge = new Gauge({
  name: 'fapiao_tax_circuit_state',
  help: 'Circuit breaker to the tax authority: 0 closed, 1 half-open, 2 open',
});
/** The process's policy, whose pauses the gauge shows: see `reportPauses`. */
let observed: AuthorityPolicy | undefined;
export const pausedGauge = new Gauge({
  name: 'fapiao_tax_paused',
  help: 'Submission to the tax authority is paused (1) for this reason',
  labelNames: ['reason'],
  // A pause ends by the clock, not by an event, so it is read at scrape time rather than set.
  collect() {
    const reason = observed?.currentPause()?.reason;
    for (const each of PAUSE_REASONS) this.set({ reason: each }, each === reason ? 1 : 0);
  },
});

/** Makes `policy` the one `fapiao_tax_paused` reports (one per process, built by the app module). */
export function reportPauses(policy: AuthorityPolicy): AuthorityPolicy {
  observed = policy;
  return policy;
}

export type CircuitView = 'closed' | 'half-open' | 'open';
const CIRCUIT_VIEW: Record<CircuitState, CircuitView> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};
const CIRCUIT_GAUGE: Record<CircuitView, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface Pause {
  reason: PauseReason;
  until: Date;
  message: string;
}

/**
 * Makes one HTTP call to the authority under the policy's pause check, rate limiter and timeout. The rate
 * limiter counts invoices: a batch upload of n takes n tokens.
 */
export type AuthorityCall = <T>(fn: (signal: AbortSignal) => Promise<T>, invoices?: number) => Promise<T>;

export interface RunOptions {
  /**
   * false: one try, no retry within the step. For a batch upload: after an unknown outcome every invoice
   * in it must be looked up by serial before it is sent again, which each one's next (single) attempt does.
   */
  retry?: boolean;
}

/** One forwarding attempt's knowledge: whether a write of it may have reached the authority. */
export interface ResolveAttempt {
  mayHaveReached: boolean;
}

export type AuthorityPolicyOptions = Pick<
  TaxBridgeConfig,
  | 'timeoutMs'
  | 'concurrency'
  | 'retryBaseMs'
  | 'retryCapMs'
  | 'retryMaxAttempts'
  | 'circuit'
  | 'rateLimitPerSecond'
  | 'maintenance'
>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every call to the authority goes through here (cockatiel): bulkhead (concurrent submissions) → retry
 * with full-jitter exponential backoff → circuit breaker → one resolve step of an AuthorityOperation,
 * whose calls each wait for the rate limiter and run under an aggressive timeout. Only UNKNOWN outcomes
 * are failures: a definite rejection is the authority working. A retry repeats the whole step, so after
 * any write that may have arrived it queries by serial before it resubmits. Pauses (Retry-After, maintenance, expired
 * certificate) are not failures: nothing is sent until they end.
 */
export class AuthorityPolicy {
  readonly bulkhead: BulkheadPolicy;
  readonly breaker: CircuitBreakerPolicy;
  private readonly retry: RetryPolicy;
  private readonly timeout: TimeoutPolicy;
  private readonly bucket: TokenBucket;
  private pause: Pause | null = null;
  private openedAt = 0;

  constructor(private readonly options: AuthorityPolicyOptions) {
    const unknown = handleWhen((error) => error instanceof OutcomeUnknown);
    this.bulkhead = bulkhead(options.concurrency);
    this.retry = retry(unknown, {
      maxAttempts: options.retryMaxAttempts,
      backoff: new ExponentialBackoff({
        generator: fullJitterGenerator,
        initialDelay: options.retryBaseMs,
        maxDelay: options.retryCapMs,
      }),
    });
    this.breaker = circuitBreaker(unknown, {
      halfOpenAfter: options.circuit.halfOpenAfterMs,
      breaker: new SamplingBreaker({
        threshold: options.circuit.failureRatio,
        duration: options.circuit.sampleMs,
        minimumRps: options.circuit.minimumRps,
      }),
    });
    this.timeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    this.bucket = new TokenBucket(options.rateLimitPerSecond, Date.now());
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    this.breaker.onStateChange((state) => circuitStateGauge.set(CIRCUIT_GAUGE[CIRCUIT_VIEW[state]]));
    circuitStateGauge.set(0);
  }

  /**
   * Runs one multi-call step through bulkhead → retry → breaker. `step` makes each HTTP call with `call`
   * (pause check, rate limiter, timeout) and must be safe to repeat: every write it makes is idempotent by
   * serial, and it queries by serial before repeating a write that may have arrived. Throws OutcomeUnknown
   * once retries are spent, AuthorityPaused, or cockatiel's BrokenCircuitError / BulkheadRejectedError.
   */
  run<T>(step: (call: AuthorityCall) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const once = () => {
      // A pause is not a failure: checked before the breaker so that it never counts as a probe.
      this.throwIfPaused();
      return this.breaker.execute(() => step((fn, invoices) => this.call(fn, invoices)));
    };
    return this.bulkhead.execute(() => (options.retry === false ? once() : this.retry.execute(once)));
  }

  /**
   * One write that may reach the authority (`invoices` of them in a batch upload): recorded in `attempt`
   * unless refused at the door.
   */
  send<T>(
    call: AuthorityCall,
    attempt: ResolveAttempt,
    fn: (signal: AbortSignal) => Promise<T>,
    invoices = 1,
  ): Promise<T> {
    const before = attempt.mayHaveReached;
    return call(async (signal) => {
      attempt.mayHaveReached = true;
      try {
        return await fn(signal);
      } catch (error) {
        // Refused at the door: this request was not processed.
        if (error instanceof AuthorityPaused) attempt.mayHaveReached = before;
        throw error;
      }
    }, invoices);
  }

  /** How many submissions the forwarder may lease now: none while paused or while the circuit is open. */
  admission(): number {
    if (this.currentPause()) return 0;
    const idle = this.bulkhead.executionSlots === this.options.concurrency;
    switch (CIRCUIT_VIEW[this.breaker.state]) {
      case 'closed':
        return this.bulkhead.executionSlots;
      case 'open':
        // One probe, oldest first, once the break is over and nothing else is in flight.
        return idle && Date.now() - this.openedAt >= this.options.circuit.halfOpenAfterMs ? 1 : 0;
      case 'half-open':
        return 0;
    }
  }

  /** The pause in force: the authority's (Retry-After, certificate) or the maintenance calendar's. */
  currentPause(now = new Date()): Pause | null {
    if (this.pause && this.pause.until > now) return this.pause;
    const window = this.options.maintenance.enabled
      ? windowAt(now, this.options.maintenance.days)
      : undefined;
    return window ? { reason: 'maintenance', until: window.end, message: 'maintenance calendar' } : null;
  }

  nextMaintenanceWindow(now = new Date()): TimeWindow | null {
    if (!this.options.maintenance.enabled) return null;
    return (
      windowAt(now, this.options.maintenance.days) ?? nextWindow(now, this.options.maintenance.days) ?? null
    );
  }

  get circuit(): { state: CircuitView; openedAt: Date | null } {
    const state = CIRCUIT_VIEW[this.breaker.state];
    return { state, openedAt: state === 'closed' ? null : new Date(this.openedAt) };
  }

  private pauseUntil(pause: Pause): void {
    if (!this.pause || this.pause.until < pause.until || this.pause.until <= new Date()) this.pause = pause;
  }

  private throwIfPaused(): void {
    const pause = this.currentPause();
    if (pause) throw new AuthorityPaused(pause.reason, pause.until, pause.message);
  }

  /**
   * One HTTP call: never before a pause ends or without a token per invoice it carries, and never longer
   * than the timeout.
   */
  private async call<T>(fn: (signal: AbortSignal) => Promise<T>, invoices = 1): Promise<T> {
    this.throwIfPaused();
    const now = Date.now();
    // Each reservation queues behind the previous one: the last says when all of them are there.
    let wait = 0;
    for (let token = 0; token < Math.max(1, invoices); token++) wait = this.bucket.reserve(now);
    if (wait > 0) await sleep(wait);
    // A pause may have begun while this call waited for its token.
    this.throwIfPaused();
    try {
      return await this.timeout.execute(({ signal }) => fn(signal));
    } catch (error) {
      if (error instanceof TaskCancelledError)
        throw new OutcomeUnknown(`no answer within ${this.options.timeoutMs} ms`);
      if (error instanceof AuthorityPaused)
        this.pauseUntil({ reason: error.reason, until: error.until, message: error.message });
      else if (error instanceof OutcomeUnknown && error.retryAfterMs)
        this.pauseUntil({
          reason: 'retry_after',
          until: new Date(Date.now() + error.retryAfterMs),
          message: error.message,
        });
      throw error;
    }
  }
}
