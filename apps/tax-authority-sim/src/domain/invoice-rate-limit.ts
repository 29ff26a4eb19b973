/**
 * The authority's rate limit, counted in invoices (as the real platform's quota is), not requests: tokens
 * refill at `perSecond` up to one second's worth. A request for n invoices is admitted when the bucket
 * holds min(n, perSecond) tokens and takes n, so a batch larger than the burst is admitted on a full
 * bucket and leaves a debt that later requests wait out; the long-run rate is `perSecond` invoices either
 * way, and no batch waits forever. A single invoice behaves exactly like a one-token bucket.
 */
export class InvoiceRateLimit {
  private tokens: number;

  constructor(
    readonly perSecond: number,
    private last: number,
  ) {
    this.tokens = perSecond;
  }

  /** Takes `invoices` tokens at `now` (ms), or says how many whole seconds until the request would pass. */
  take(now: number, invoices = 1): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(now);
    const needed = Math.min(invoices, this.perSecond);
    if (this.tokens >= needed) {
      this.tokens -= invoices;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((needed - this.tokens) / this.perSecond)),
    };
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
