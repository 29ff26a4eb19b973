import { nextAttemptDelay } from './submission-state';

describe('nextAttemptDelay', () => {
  it('grows exponentially under a cap, with full jitter', () => {
    expect(nextAttemptDelay(1, 1000, 60_000, () => 0.999)).toBe(999);
    expect(nextAttemptDelay(4, 1000, 60_000, () => 0.999)).toBe(7992);
    expect(nextAttemptDelay(30, 1000, 60_000, () => 0.999)).toBe(59940);
    expect(nextAttemptDelay(3, 1000, 60_000, () => 0)).toBe(0);
  });
});
