import type { AuthorityRedLetterForm, Totals } from '@fapiao/contracts';

/** A definite refusal: the authority looked at the request and said no. */
export type Rejected = { kind: 'rejected'; code: string; message: string };

/** What the authority said about a submission; anything else is an UNKNOWN outcome (thrown). */
export type IssueOutcome =
  | { kind: 'issued'; number: string; issuedAt: string; fileRef: string; totalGross: string; totals: Totals }
  | Rejected;
export type Issued = Extract<IssueOutcome, { kind: 'issued' }>;

/** The authority's answer to raising a red-letter confirmation form. */
export type FormOutcome = { kind: 'form'; form: AuthorityRedLetterForm } | Rejected;

/**
 * Where a reversal stands. `awaiting`: the form waits for the buyer; `reversed`: the red-letter invoice is
 * issued; `rejected`: the authority refused, or the form was declined, revoked or expired.
 */
export type ReversalOutcome =
  | { kind: 'awaiting'; formId: string; raisedAt: string; expiresAt: string | null }
  | { kind: 'reversed'; formId: string; red: Issued }
  | Rejected;

/**
 * The request may or may not have been processed (timeout, 5xx, reset). The submission must be resolved
 * with a query by serial before it is sent again.
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

export const PAUSE_REASONS = ['maintenance', 'rate_limited', 'certificate_expired', 'retry_after'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/**
 * The authority refused at the door without processing anything (429, 503 SIM.MAINTENANCE, 403 client
 * certificate), or the bridge knows it must not call now: submission pauses instead of failing.
 */
export class AuthorityPaused extends Error {
  constructor(
    readonly reason: PauseReason,
    readonly until: Date,
    message: string = reason,
  ) {
    super(message);
    this.name = 'AuthorityPaused';
  }
}
