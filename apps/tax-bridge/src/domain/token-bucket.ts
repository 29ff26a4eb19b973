/**
 * The client side of the authority's quota: tokens refill continuously at `perSecond`, up to one second's
 * worth. A caller reserves a token and waits the returned time, so waiters are served in arrival order.
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    readonly perSecond: number,
    private last: number,
  ) {
    this.tokens = perSecond;
  }

  /** Reserves a token at `now` (ms); returns how long to wait before using it (0: at once). */
  reserve(now: number): number {
    // A clock that went back refills nothing, and counts from there on.
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }
}
