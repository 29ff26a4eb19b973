/** A rate limit: tokens refill continuously at `perSecond`, up to one second's worth (the burst). */
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
    // A clock that went back refills nothing, and counts from there on.
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
  }
}
