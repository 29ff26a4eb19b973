import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('take: allows a burst of one second, then refills at the rate and says when to come back', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take(500)).toEqual({ ok: true });
    expect(bucket.take(500)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('take: rounds Retry-After up to whole seconds for slow rates', () => {
    const bucket = new TokenBucket(0.25, 0);
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 3 });
  });

  it('reserve: allows a second of burst, then spaces reservations at the rate, in arrival order', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(500);
    expect(bucket.reserve(0)).toBe(1000);
    expect(bucket.reserve(2_000)).toBe(0);
  });

  it('refills nothing when the clock goes back', () => {
    const bucket = new TokenBucket(1, 10_000);
    expect(bucket.take(10_000)).toEqual({ ok: true });
    expect(bucket.take(5_000)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take(6_000)).toEqual({ ok: true });
  });
});
