/** Whether one more order may enter the pipeline, and if not, when to come back. */
export type Admission = { admitted: true } | { admitted: false; backlog: number; retryAfterS: number };

/** Longest Retry-After we answer: a client should look again within a minute whatever the estimate. */
const MAX_RETRY_AFTER_S = 60;
/** Weight of the newest drain-rate sample in the moving average. */
const SMOOTHING = 0.3;

/**
 * The orders accepted and not yet invoiced or rejected, against a ceiling. The count is read from the
 * database now and then (`sample`); between reads, this replica adds what it admitted and takes off what
 * drained at the measured rate (orders leaving the backlog per second, a moving average over samples). At
 * the ceiling, orders are thus admitted as fast as the pipeline drains them, not in a burst at each
 * sample: a burst queues on the database and its last orders wait for all of it. The drain is counted for
 * one sample interval at most, so a stalled pipeline or a late sample overshoots the ceiling by one
 * interval's drain, as do other replicas' admissions. The drain rate also turns the excess into a
 * Retry-After: long enough for the backlog to fall to 90 % of the ceiling.
 */
export class Backlog {
  private sampled = 0;
  private admittedSinceSample = 0;
  private sampledAt?: number;
  private drainPerSecond?: number;

  constructor(
    readonly max: number,
    /** How often `sample` is called: the longest the drain is counted for without one. */
    private readonly sampleEveryMs: number,
  ) {}

  /** Orders in the pipeline at `at`, by an estimate that is never older than one sample interval. */
  estimate(at: Date): number {
    const elapsedMs = this.sampledAt === undefined ? 0 : at.getTime() - this.sampledAt;
    const drainedSinceSample = Math.min(
      this.sampled,
      ((this.drainPerSecond ?? 0) * Math.min(Math.max(0, elapsedMs), this.sampleEveryMs)) / 1000,
    );
    return this.sampled + this.admittedSinceSample - Math.floor(drainedSinceSample);
  }

  full(at: Date): boolean {
    return this.estimate(at) >= this.max;
  }

  /** Orders leaving the backlog per second (undefined until two samples were taken). */
  get drainRate(): number | undefined {
    return this.drainPerSecond;
  }

  sample(inFlight: number, at: Date): void {
    if (this.sampledAt !== undefined) {
      const seconds = (at.getTime() - this.sampledAt) / 1000;
      if (seconds > 0) {
        const drained = Math.max(0, this.sampled + this.admittedSinceSample - inFlight) / seconds;
        this.drainPerSecond =
          this.drainPerSecond === undefined
            ? drained
            : (1 - SMOOTHING) * this.drainPerSecond + SMOOTHING * drained;
      }
    }
    this.sampled = inFlight;
    this.admittedSinceSample = 0;
    this.sampledAt = at.getTime();
  }

  admit(at: Date): Admission {
    const estimate = this.estimate(at);
    if (estimate < this.max) {
      this.admittedSinceSample += 1;
      return { admitted: true };
    }
    const excess = estimate - 0.9 * this.max;
    const rate = Math.max(this.drainPerSecond ?? 1, 1);
    const retryAfterS = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(excess / rate)));
    return { admitted: false, backlog: estimate, retryAfterS };
  }
}
