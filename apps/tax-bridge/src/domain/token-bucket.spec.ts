import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a second of burst, then spaces reservations at the rate, in arrival order', () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(500);
    expect(bucket.reserve(0)).toBe(1000);
    expect(bucket.reserve(2_000)).toBe(0);
  });
});
