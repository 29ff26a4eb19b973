import { nextAttemptDelay, nextFormCheckAt } from './submission-state';

describe('nextAttemptDelay', () => {
  it('grows exponentially under a cap, with full jitter', () => {
    expect(nextAttemptDelay(1, 1000, 60_000, () => 0.999)).toBe(999);
    expect(nextAttemptDelay(4, 1000, 60_000, () => 0.999)).toBe(7992);
    expect(nextAttemptDelay(30, 1000, 60_000, () => 0.999)).toBe(59940);
    expect(nextAttemptDelay(3, 1000, 60_000, () => 0)).toBe(0);
  });
});

describe('nextFormCheckAt', () => {
  const bounds = { minMs: 60_000, maxMs: 3_600_000 };
  const now = new Date('2026-11-21T12:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const later = (at: Date) => at.getTime() - now.getTime();

  it('looks again after a quarter of the time waited, within the bounds', () => {
    expect(later(nextFormCheckAt(now, now, null, bounds))).toBe(60_000);
    expect(later(nextFormCheckAt(now, ago(20 * 60_000), null, bounds))).toBe(5 * 60_000);
    expect(later(nextFormCheckAt(now, ago(48 * 3_600_000), null, bounds))).toBe(3_600_000);
    // A clock that moved backwards is not a negative wait.
    expect(later(nextFormCheckAt(now, ago(-60_000), null, bounds))).toBe(60_000);
  });

  it('looks just after the form expires when that comes first, and no sooner than the bounds once past it', () => {
    const expires = new Date(now.getTime() + 10 * 60_000);
    expect(later(nextFormCheckAt(now, ago(48 * 3_600_000), expires, bounds))).toBe(10 * 60_000 + 1_000);
    expect(later(nextFormCheckAt(now, ago(60 * 60_000), ago(60_000), bounds))).toBe(15 * 60_000);
  });
});
