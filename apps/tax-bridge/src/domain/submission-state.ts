/**
 * QUEUED: stored, never sent. SENDING: leased by a forwarder, the request may be on the wire.
 * UNKNOWN: sent, outcome not known (timeout, 5xx, reset, lease expired) — must be queried by serial
 * before any resubmission. AWAITING: a reversal's confirmation form waits for the buyer; checked again
 * later. ISSUED / REJECTED: the authority's definite answer.
 */
export const SUBMISSION_STATES = ['QUEUED', 'SENDING', 'UNKNOWN', 'AWAITING', 'ISSUED', 'REJECTED'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/**
 * Which state may follow which. Leasing takes a waiting submission (or one whose lease ran out) to
 * SENDING; a leased one ends in the authority's answer, an unknown outcome or a form awaiting the buyer,
 * or goes back untouched when nothing was sent. ISSUED and REJECTED are final.
 */
const NEXT_STATES: Record<SubmissionState, readonly SubmissionState[]> = {
  QUEUED: ['SENDING'],
  UNKNOWN: ['SENDING'],
  AWAITING: ['SENDING'],
  SENDING: ['SENDING', 'QUEUED', 'UNKNOWN', 'AWAITING', 'ISSUED', 'REJECTED'],
  ISSUED: [],
  REJECTED: [],
};

export const canMove = (from: SubmissionState, to: SubmissionState): boolean =>
  NEXT_STATES[from].includes(to);

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

const EXPIRY_MARGIN_MS = 1_000;

/**
 * When to look again at a confirmation form still awaiting the buyer: after a quarter of the time it has
 * waited so far, within [minMs, maxMs], and no later than just after its expiry. A form answered soon is
 * seen soon; thousands waiting for days cost about one query each per `maxMs`, not one per `minMs`.
 */
export function nextFormCheckAt(
  now: Date,
  awaitingSince: Date,
  expiresAt: Date | null,
  bounds: { minMs: number; maxMs: number },
): Date {
  const waited = Math.max(0, now.getTime() - awaitingSince.getTime());
  const next = now.getTime() + Math.min(bounds.maxMs, Math.max(bounds.minMs, Math.floor(waited / 4)));
  // Just after the deadline the authority reads the form as expired: the reversal can be refused then.
  const expiry = expiresAt ? expiresAt.getTime() + EXPIRY_MARGIN_MS : Infinity;
  return new Date(expiry > now.getTime() ? Math.min(next, expiry) : next);
}
