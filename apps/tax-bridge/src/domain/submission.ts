import type { Envelope } from '@fapiao/contracts';
import type { IssueOutcome, Rejected, ReversalOutcome } from './authority-outcome';
import { canMove, type SubmissionOperation, type SubmissionState } from './submission-state';
import { SubmissionErrors } from './submission.errors';

/** The authority's definite answer, kept to announce it again if the command comes again. */
export type SubmissionAnswer = IssueOutcome | Exclude<ReversalOutcome, { kind: 'awaiting' }>;

/** The width of the stored last error. */
const LAST_ERROR_LENGTH = 500;

export interface SubmissionProps {
  /** The invoice's serial, or the red-letter invoice's serial for a reversal. */
  serial: string;
  operation: SubmissionOperation;
  invoiceId: string;
  tenantId: string;
  state: SubmissionState;
  /** The IssueInvoice or ReverseInvoice payload, sent unchanged on every attempt. */
  command: unknown;
  /** How many times the request was sent (incremented when leased, before sending). */
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  number: string | null;
  /** A reversal's confirmation form at the authority, once raised. */
  formId: string | null;
  outcome: SubmissionAnswer | null;
  /** The command's envelope: causation and correlation ids of the outcome event. */
  causation: Envelope;
  /** Trace context of the command, so the later submission joins the order's trace. */
  traceHeaders: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One submission to the authority — an invoice to issue, or a red-letter reversal of one — in the
 * store-and-forward queue. Only a forwarder holding its lease moves it (see submission-state.ts), and
 * the change is saved only while that lease still holds.
 */
export class Submission {
  /** The lease this copy was claimed under: what a save compares, like a version. */
  private claimedLease: Date | null;

  private constructor(private readonly props: SubmissionProps) {
    this.claimedLease = props.state === 'SENDING' ? props.leaseUntil : null;
  }

  /** A command stored to be sent when the authority can take it. */
  static accept(input: {
    serial: string;
    operation: SubmissionOperation;
    envelope: Envelope<{ invoiceId: string }>;
    traceHeaders: Record<string, string>;
  }): Submission {
    const now = new Date();
    return new Submission({
      serial: input.serial,
      operation: input.operation,
      invoiceId: input.envelope.payload.invoiceId,
      tenantId: input.envelope.tenantId,
      state: 'QUEUED',
      command: input.envelope.payload,
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      lastError: null,
      number: null,
      formId: null,
      outcome: null,
      causation: input.envelope,
      traceHeaders: input.traceHeaders,
      createdAt: now,
      updatedAt: now,
    });
  }

  static restore(props: SubmissionProps): Submission {
    return new Submission({ ...props });
  }

  get serial(): string {
    return this.props.serial;
  }
  get operation(): SubmissionOperation {
    return this.props.operation;
  }
  get invoiceId(): string {
    return this.props.invoiceId;
  }
  get tenantId(): string {
    return this.props.tenantId;
  }
  get state(): SubmissionState {
    return this.props.state;
  }
  get command(): unknown {
    return this.props.command;
  }
  get attempts(): number {
    return this.props.attempts;
  }
  get nextAttemptAt(): Date {
    return this.props.nextAttemptAt;
  }
  get leaseUntil(): Date | null {
    return this.props.leaseUntil;
  }
  get heldLease(): Date | null {
    return this.claimedLease;
  }
  get lastError(): string | null {
    return this.props.lastError;
  }
  get number(): string | null {
    return this.props.number;
  }
  get formId(): string | null {
    return this.props.formId;
  }
  get outcome(): SubmissionAnswer | null {
    return this.props.outcome;
  }
  get causation(): Envelope {
    return this.props.causation;
  }
  get traceHeaders(): Record<string, string> {
    return this.props.traceHeaders;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }

  /** An earlier attempt sent it: its outcome may be unknown, so it is looked up by serial first. */
  get sentBefore(): boolean {
    return this.props.attempts > 1;
  }

  /** The authority answered definitely (ISSUED or REJECTED). */
  get answered(): boolean {
    return this.props.state === 'ISSUED' || this.props.state === 'REJECTED';
  }

  /** Leased by a forwarder until `leaseUntil`: this attempt counts from now on. */
  claim(leaseUntil: Date): void {
    this.move('SENDING');
    this.props.attempts += 1;
    this.props.leaseUntil = leaseUntil;
    this.claimedLease = leaseUntil;
  }

  /**
   * Nothing was sent under the lease (circuit open, paused): the attempt does not count and the
   * submission keeps its place. Never sent at all: QUEUED again; a raised form: AWAITING again; else it is
   * still to be queried first.
   */
  release(): void {
    const attempts = this.props.attempts - 1;
    this.move(attempts === 0 ? 'QUEUED' : this.props.formId ? 'AWAITING' : 'UNKNOWN');
    this.props.attempts = attempts;
  }

  /** Sent, with no definite answer: queried by serial at `retryAt` before anything is sent again. */
  unresolved(error: string, retryAt: Date): void {
    this.move('UNKNOWN');
    this.props.lastError = error.slice(0, LAST_ERROR_LENGTH);
    this.props.nextAttemptAt = retryAt;
  }

  /**
   * The confirmation form `formId` waits for the buyer: looked at again at `checkAt`. True when the form
   * is news (its id first learnt), which is announced once.
   */
  awaitConfirmation(formId: string, checkAt: Date): boolean {
    const news = this.props.formId === null;
    this.move('AWAITING');
    this.props.formId = formId;
    this.props.lastError = null;
    this.props.nextAttemptAt = checkAt;
    return news;
  }

  /** The authority issued the invoice under this serial (a red-letter one against the form `formId`). */
  issued(number: string, answer: SubmissionAnswer, formId?: string): void {
    this.move('ISSUED');
    this.props.number = number;
    if (formId !== undefined) this.props.formId = formId;
    this.props.outcome = answer;
    this.props.lastError = null;
  }

  /** The authority refused definitely. */
  rejected(refusal: Rejected): void {
    this.move('REJECTED');
    this.props.number = null;
    this.props.outcome = refusal;
    this.props.lastError = `${refusal.code}: ${refusal.message}`.slice(0, LAST_ERROR_LENGTH);
  }

  /** Every move but a lease ends the lease. */
  private move(to: SubmissionState): void {
    if (!canMove(this.props.state, to))
      throw SubmissionErrors.illegalTransition(this.props.serial, this.props.state, to);
    this.props.state = to;
    if (to !== 'SENDING') this.props.leaseUntil = null;
    this.props.updatedAt = new Date();
  }
}
