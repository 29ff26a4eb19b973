/**
 * A rate limit: tokens refill continuously at `perSecond`, up to one second's worth (the burst). A server
 * `take`s a token or refuses with a Retry-After; a client `reserve`s one and waits the time it is told, so
 * waiters are served in arrival order.
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    readonly perSecond: number,
    private last: number,
  ) {
    this.tokens = perSecond;
  }

  /** Takes a token at `now` (ms), or says how many whole seconds until one is available. */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
  }

  /** Reserves a token at `now` (ms); returns how long to wait before using it (0: at once). */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }

  private refill(now: number): void {
    // A clock that went back refills nothing, and counts from there on.
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
  }
}
