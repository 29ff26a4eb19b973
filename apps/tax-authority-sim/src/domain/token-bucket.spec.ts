import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst of one second, then refills at the rate and says when to come back', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take(500)).toEqual({ ok: true });
    expect(bucket.take(500)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const bucket = new TokenBucket(0.25, 0);
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 3 });
  });
});
