import type { Envelope, IssueInvoice, PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import type { IssueOutcome, ReversalOutcome } from '../../domain/authority-outcome';
import type { Submission } from '../../domain/submission';
import type { SubmissionOperation } from '../../domain/submission-state';
import type { ResolveAttempt } from '../authority-policy';

/** The command each kind of submission carries. */
export interface OperationCommands {
  issue: PayloadOf<typeof IssueInvoice>;
  reverse: PayloadOf<typeof ReverseInvoice>;
}

/** Whatever an operation's resolve step can come back with. */
export type OperationOutcome = IssueOutcome | ReversalOutcome;

/**
 * One kind of submission at the authority (a strategy, picked by the submission's kind from
 * AuthorityOperations): under which serial it is stored and deduplicated, how its commands become
 * authority requests, how it resolves before it resubmits, what a definite answer does to the submission,
 * and which event announces it.
 */
export interface AuthorityOperation<
  K extends SubmissionOperation = SubmissionOperation,
  O extends OperationOutcome = OperationOutcome,
> {
  readonly kind: K;
  /** The serial the command is stored under, never regenerated. */
  serialOf(command: OperationCommands[K]): string;
  /**
   * One step through the AuthorityPolicy, safe to repeat: a write that may have reached the authority
   * (by an earlier attempt, or within this one) is looked up by serial before it is sent again. Throws
   * OutcomeUnknown, AuthorityPaused, or the policy's refusals.
   */
  resolve(submission: Submission, attempt: ResolveAttempt): Promise<O>;
  /**
   * Batch uploads, for operations the authority takes in batches. Whether this leased submission may go
   * in one: never when it may have reached the authority before (that one is resolved by serial first).
   */
  batchable?(submission: Submission): boolean;
  /** Splits batchable submissions into batch uploads of at most `max` (and of a size the authority reads). */
  planBatches?(submissions: Submission[], max: number): Submission[][];
  /**
   * One upload of every submission through the AuthorityPolicy, not retried within the step. Answers per
   * serial; a serial missing from the answer got no definite answer. Throws, for the whole batch, what
   * `resolve` throws — after which every submission of it may have reached the authority if
   * `attempt.mayHaveReached` says so.
   */
  resolveBatch?(submissions: Submission[], attempt: ResolveAttempt): Promise<Map<string, O>>;
  /** Applies the answer to the leased submission; returns what to announce (null: nothing new). */
  settle(submission: Submission, outcome: O): O | null;
  /** Announces an outcome on fapiao.tax.events.v1, in the open unit of work. */
  announce(submission: Submission, outcome: O, causedBy: Envelope): Promise<void>;
}
