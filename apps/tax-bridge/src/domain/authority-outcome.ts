/** What the authority said about a submission; anything else is an UNKNOWN outcome (thrown). */
export type IssueOutcome =
  | { kind: 'issued'; number: string; issuedAt: string; fileRef: string; totalGross: string }
  | { kind: 'rejected'; code: string; message: string };

/**
 * The request may or may not have been processed (timeout, 5xx, reset, maintenance, rate limit). The
 * submission must be resolved with a query by serial before it is sent again.
 */
export class OutcomeUnknown extends Error {
  constructor(
    message: string,
    /** The authority said when to come back (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'OutcomeUnknown';
  }
}
