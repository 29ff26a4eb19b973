import { boundedAttempt, boundedLabel, boundedNotBefore } from './untrusted-headers';

describe('untrusted headers', () => {
  it('labels metrics only with known types, whatever a producer writes in fapiao-type', () => {
    const known = new Set(['OrderPlaced', 'OrderCancelled']);
    expect(boundedLabel('OrderPlaced', known)).toBe('OrderPlaced');
    const labels = new Set(
      Array.from({ length: 1_000 }, (_, i) => boundedLabel(`Forged${i}`, known)).concat(
        boundedLabel(undefined, known),
        boundedLabel('', known),
        boundedLabel('x'.repeat(10_000), known),
      ),
    );
    expect([...labels]).toEqual(['other']);
  });

  it('never holds a retry message longer than the runner’s own retry delay', () => {
    const now = 1_800_000_000_000;
    expect(boundedNotBefore(String(now + 400), now, 1_000)).toBe(now + 400);
    expect(boundedNotBefore(String(now - 5_000), now, 1_000)).toBe(now - 5_000);
    // A year ahead, or beyond any date, would park the partition: clamped to the retry delay.
    expect(boundedNotBefore(String(now + 365 * 86_400_000), now, 1_000)).toBe(now + 1_000);
    expect(boundedNotBefore('1e308', now, 1_000)).toBe(now + 1_000);
    // Unparsable or missing: at once.
    for (const value of [undefined, '', 'tomorrow', 'Infinity', 'NaN', '0x']) {
      expect(boundedNotBefore(value, now, 1_000)).toBeLessThanOrEqual(now);
    }
  });

  it('keeps attempt counts within 1…max', () => {
    expect(boundedAttempt('3', 24)).toBe(3);
    expect(boundedAttempt(undefined, 24)).toBe(1);
    for (const value of ['-1000000', '0', '-0', '2.5', 'abc', '', 'NaN', '-Infinity']) {
      expect(boundedAttempt(value, 24)).toBe(1);
    }
    expect(boundedAttempt('999999999999', 24)).toBe(24);
    expect(boundedAttempt('Infinity', 24)).toBe(1);
  });
});
