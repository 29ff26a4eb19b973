/**
 * QUEUED: stored, never sent. SENDING: leased by a forwarder, the request may be on the wire.
 * UNKNOWN: sent, outcome not known (timeout, 5xx, reset, lease expired) — must be queried by serial
 * before any resubmission. AWAITING: a reversal's confirmation form waits for the buyer; checked again
 * later. ISSUED / REJECTED: the authority's definite answer.
 */
export const SUBMISSION_STATES = ['QUEUED', 'SENDING', 'UNKNOWN', 'AWAITING', 'ISSUED', 'REJECTED'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** issue: a blue invoice (IssueInvoice). reverse: a red-letter reversal (ReverseInvoice). */
export const SUBMISSION_OPERATIONS = ['issue', 'reverse'] as const;
export type SubmissionOperation = (typeof SUBMISSION_OPERATIONS)[number];

/** Full-jitter exponential backoff (AWS architecture blog), capped. */
export function nextAttemptDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
