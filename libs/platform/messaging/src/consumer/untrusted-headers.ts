/**
 * Headers come from whoever could write to the topic: every value the runner acts on is bounded here, so
 * a forged header can neither add metric series nor hold a partition.
 */

/** A metric label from a header: one of the values this consumer knows, else `other`. */
export function boundedLabel(value: string | undefined, known: ReadonlySet<string>): string {
  return value !== undefined && known.has(value) ? value : 'other';
}

/**
 * When a retry-topic message may run: its `fapiao-not-before`, but never later than the runner's own
 * retry delay from now (the most it ever sets), and at once when the header is missing or not a number.
 */
export function boundedNotBefore(value: string | undefined, now: number, retryDelayMs: number): number {
  const notBefore = Number(value);
  if (value === undefined || !Number.isFinite(notBefore)) return now;
  return Math.min(notBefore, now + retryDelayMs);
}

/**
 * The attempt a message is on: `fapiao-attempt` as a whole number within 1…max (the runner's local
 * retries × retry rounds); missing, not a number or below 1 is a first attempt, above max is the last.
 */
export function boundedAttempt(value: string | undefined, maxAttempts: number): number {
  const attempt = Number(value);
  if (value === undefined || !Number.isInteger(attempt) || attempt < 1) return 1;
  return Math.min(attempt, maxAttempts);
}
