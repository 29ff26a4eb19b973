import type { Submission } from './submission';
import type { SubmissionOperation } from './submission-state';

export interface QueueStats {
  depth: number;
  unknown: number;
  oldestQueuedAt: Date | null;
  /** Reversals whose confirmation form waits for the buyer: not backlog, the authority is not at fault. */
  awaitingConfirmation: number;
}

/** Port (and DI token) of the store-and-forward queue. */
export abstract class SubmissionRepository {
  abstract find(serial: string): Promise<Submission | null>;
  /**
   * Reads these submissions in one statement for a batch of commands: the first `find` of each in the unit
   * of work takes it from there instead of reading it again.
   */
  abstract loadAhead(serials: string[]): Promise<void>;
  /** Stores a new submission, in the open unit of work. */
  abstract add(submission: Submission): Promise<void>;
  /**
   * Leases up to `limit` due submissions for `leaseMs`, oldest first, across replicas (SKIP LOCKED):
   * queued, unknown or awaiting ones whose time has come, and sends whose lease expired (their process
   * died mid-call). With `neverSent`: only queued submissions of that operation never sent before, to
   * fill a batch upload.
   */
  abstract claimDue(
    limit: number,
    leaseMs: number,
    only?: { neverSent: SubmissionOperation },
  ): Promise<Submission[]>;
  /**
   * Saves what happened to a leased submission if the lease it was claimed under still holds; false when
   * another forwarder took it over.
   */
  abstract saveLeased(submission: Submission): Promise<boolean>;
  /**
   * `saveLeased` for a batch, in the open unit of work: the rows still held locked and written in one
   * statement each; for each submission, whether it was saved.
   */
  abstract saveLeasedAll(submissions: Submission[]): Promise<boolean[]>;
  abstract stats(): Promise<QueueStats>;
}
