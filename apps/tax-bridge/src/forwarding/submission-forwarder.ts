import { Inject, Injectable } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import { Gauge } from 'prom-client';
import { FapiaoAttributes } from '@fapiao/platform/observability';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { BackgroundWorker } from '@fapiao/platform/resilience';
import { AuthorityPaused, OutcomeUnknown } from '../domain/authority-outcome';
import type { Submission } from '../domain/submission';
import { nextAttemptDelay, type SubmissionOperation } from '../domain/submission-state';
import { SubmissionRepository } from '../domain/submission.repository';
import { TAX_BRIDGE_CONFIG, type TaxBridgeConfig } from '../tax-bridge.config';
import { AuthorityPolicy, type ResolveAttempt } from './authority-policy';
import { OutcomePublisher } from './outcome-publisher';
import type { OperationOutcome } from './operations/authority-operation';
import { AuthorityOperations } from './operations/authority-operations';

const tracer = trace.getTracer('fapiao-tax-bridge');
const GAUGE_REFRESH_MS = 1_000;

export const storeForwardDepth = new Gauge({
  name: 'fapiao_tax_store_forward_depth',
  help: 'Submissions stored and not yet definitely answered by the authority',
});
export const storeForwardOldestAge = new Gauge({
  name: 'fapiao_tax_store_forward_oldest_age_seconds',
  help: 'Age of the oldest submission still waiting',
});

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Recording outcomes in READ COMMITTED: under REPEATABLE READ an outcome's UPDATE and a claim's took gap
 * locks on the due index and deadlocked, and the loser's submissions waited out their lease (30 s).
 */
const RECORDING = { isolation: 'READ COMMITTED' } as const;

/** Refusals before anything was sent: the lease is given back instead of spending an attempt. */
const HELD_BACK = [AuthorityPaused, BrokenCircuitError, BulkheadRejectedError];

/**
 * Drains the store-and-forward queue: leases due submissions oldest first and sends them through the
 * AuthorityPolicy, each by the AuthorityOperation of its kind. The rule that prevents double issuance: a
 * submission that was ever sent before (its outcome may be unknown) is first looked up by serial, and
 * resubmitted only when the authority has no record of it. The serial never changes. While the circuit is open or submission is paused nothing is
 * leased, so submissions wait in the queue without spending attempts and drain oldest first afterwards.
 * Submissions never sent before that an operation can batch (issues) go in batch uploads of up to
 * TAX_FORWARD_BATCH_MAX; everything else — and everything of a batch left without an answer — takes the
 * single path above.
 */
@Injectable()
export class SubmissionForwarder extends BackgroundWorker {
  private readonly active = new Set<Promise<void>>();
  /** Requests to the authority in flight: a single submission, or a batch upload. */
  private inFlight = 0;
  /** The last claim may have left due submissions behind (it filled its limit, or no slot was free). */
  private leftDue = true;
  private gaugesAt = 0;
  lastError: { at: Date; message: string } | null = null;
  lastSuccessAt: Date | null = null;

  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly policy: AuthorityPolicy,
    private readonly operations: AuthorityOperations,
    private readonly outcomes: OutcomePublisher,
    private readonly unitOfWork: UnitOfWork,
    @Inject(TAX_BRIDGE_CONFIG) private readonly config: TaxBridgeConfig,
  ) {
    super(SubmissionForwarder.name);
  }

  /** A new submission was stored: look for work now instead of at the next poll. */
  wakeSoon(): void {
    setImmediate(() => this.wake());
  }

  /**
   * Each free slot (one request at a time to the authority) takes a single submission or a batch. A claim
   * that got fewer than it asked for drained what was due: no second claim for the round, no top-up, no
   * round when a slot frees — a new submission wakes the loop, and the poll finds retries as they fall due.
   */
  protected async round(): Promise<number> {
    const free = Math.min(this.policy.admission(), this.config.concurrency - this.inFlight);
    const limit = Math.min(free, this.config.batch);
    const claimed = free > 0 ? await this.submissions.claimDue(limit, this.config.leaseMs) : [];
    this.leftDue = free <= 0 || claimed.length === limit;
    for (const work of await this.plan(claimed, this.leftDue)) {
      this.inFlight += 1;
      const task = (work.length === 1 ? this.forward(work[0]) : this.forwardBatch(work))
        // Recording the outcome failed too (the database is away): the lease brings the submission
        // back, and resolve-before-resubmit finds what the authority did with it.
        .catch((error: unknown) =>
          this.logger.warn(
            `forward ${work.map((submission) => submission.serial).join(', ')}: not recorded ` +
              `(${messageOf(error)}); retried once its lease ends`,
          ),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.active.delete(task);
          if (this.leftDue) this.wake();
        });
      this.active.add(task);
    }
    await this.refreshGauges();
    return this.leftDue && claimed.length > 0 ? 0 : this.config.pollMs;
  }

  /**
   * What to send, oldest first: one request per submission, except that the submissions an operation may
   * batch (issues never sent before) go together — topped up with more of them, up to
   * TAX_FORWARD_BATCH_MAX, while the circuit is closed (a probe stays a single request) and the claim may
   * have left some due.
   */
  private async plan(claimed: Submission[], leftDue: boolean): Promise<Submission[][]> {
    const work: Submission[][] = [];
    const batchable = new Map<SubmissionOperation, Submission[]>();
    for (const submission of claimed) {
      const operation = this.operations.of(submission.operation);
      if (this.config.batchMax > 1 && operation.resolveBatch && operation.batchable?.(submission)) {
        batchable.set(submission.operation, [...(batchable.get(submission.operation) ?? []), submission]);
      } else {
        work.push([submission]);
      }
    }
    for (const [kind, submissions] of batchable) {
      const operation = this.operations.of(kind);
      if (leftDue && submissions.length < this.config.batchMax && this.policy.circuit.state === 'closed') {
        // A top-up that fails (a deadlock with an outcome being recorded) must not strand what is already
        // claimed: without it, those would wait out their lease (TAX_LEASE_MS) before anyone sent them.
        const more = await this.submissions
          .claimDue(this.config.batchMax - submissions.length, this.config.leaseMs, { neverSent: kind })
          .catch((error: unknown) => {
            this.logger.warn(
              `topping up a batch upload failed (${messageOf(error)}): sending what is claimed`,
            );
            return [];
          });
        for (const submission of more) {
          if (operation.batchable?.(submission)) submissions.push(submission);
          else work.push([submission]);
        }
      }
      work.push(...(operation.planBatches?.(submissions, this.config.batchMax) ?? [submissions]));
    }
    return work;
  }

  protected override failureBackoffMs(): number {
    return this.config.retryBaseMs;
  }

  // Let sends in flight finish so their outcome is recorded; a lease covers anything cut short.
  protected override async afterStop(): Promise<void> {
    await Promise.allSettled(this.active);
  }

  private async forward(submission: Submission): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, submission.traceHeaders);
    const span = tracer.startSpan(
      'tax-bridge forward submission',
      {
        attributes: {
          [FapiaoAttributes.SUBMISSION_OPERATION]: submission.operation,
          [FapiaoAttributes.INVOICE_ID]: submission.invoiceId,
          [FapiaoAttributes.TENANT_ID]: submission.tenantId,
          [FapiaoAttributes.SUBMISSION_SERIAL]: submission.serial,
          'fapiao.tax.attempt': submission.attempts,
        },
      },
      parent,
    );
    const attempt: ResolveAttempt = { mayHaveReached: false };
    await context.with(trace.setSpan(parent, span), async () => {
      try {
        const operation = this.operations.of(submission.operation);
        let outcome: OperationOutcome;
        try {
          outcome = await operation.resolve(submission, attempt);
        } catch (error) {
          return await this.unresolved(submission, attempt, error, span);
        }
        // Settled in memory first: if recording fails, the lease brings the submission back (see round).
        await this.record(submission, operation.settle(submission, outcome)).catch((error: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
          throw error;
        });
        this.lastSuccessAt = new Date();
      } finally {
        span.end();
      }
    });
  }

  private async unresolved(
    submission: Submission,
    attempt: ResolveAttempt,
    error: unknown,
    span: Span,
  ): Promise<void> {
    this.report([submission], error, span);
    this.giveBack(submission, attempt, error);
    await this.submissions.saveLeased(submission);
  }

  private report(submissions: Submission[], error: unknown, span: Span): void {
    const message = messageOf(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (error instanceof AuthorityPaused && error.reason === 'certificate_expired') {
      this.logger.error(
        `tax authority refuses the client certificate (${message}): submission paused until an operator renews it`,
      );
    } else if (!HELD_BACK.some((type) => error instanceof type) && !(error instanceof OutcomeUnknown)) {
      this.logger.error(
        `forward ${submissions.map((submission) => submission.serial).join(', ')}: ${String(error)}`,
      );
    }
    // The breaker's refusal is no news: the last error stays the one that opened it.
    if (!(error instanceof BrokenCircuitError)) this.lastError = { at: new Date(), message };
  }

  /**
   * No definite answer. Refused before anything was sent: the lease goes back and the attempt does not
   * count. Otherwise the outcome is unknown: the submission is looked up by serial before it is sent again.
   */
  private giveBack(submission: Submission, attempt: ResolveAttempt, error: unknown): void {
    if (!attempt.mayHaveReached && HELD_BACK.some((type) => error instanceof type)) {
      submission.release();
      return;
    }
    const delay =
      error instanceof AuthorityPaused
        ? error.until.getTime() - Date.now()
        : error instanceof BrokenCircuitError
          ? 0
          : (error instanceof OutcomeUnknown && error.retryAfterMs) ||
            nextAttemptDelay(submission.attempts, this.config.retryBaseMs, this.config.retryCapMs);
    submission.unresolved(messageOf(error), new Date(Date.now() + Math.max(0, delay)));
  }

  /**
   * One batch upload for submissions never sent before. Its outcomes are recorded and announced in one
   * unit of work, each with its own outbox message. A submission the answer says nothing about, and every
   * submission of a batch that may have reached the authority without an answer (timeout, 5xx, reset),
   * becomes UNKNOWN: its next attempt looks it up by serial before anything is sent again.
   */
  private async forwardBatch(batch: Submission[]): Promise<void> {
    const [first] = batch;
    const operation = this.operations.of(first.operation);
    const parents = batch.map((submission) => propagation.extract(ROOT_CONTEXT, submission.traceHeaders));
    // The upload joins the first order's trace; the others link to it and get their own span below.
    const span = tracer.startSpan(
      'tax-bridge forward batch',
      {
        attributes: {
          [FapiaoAttributes.SUBMISSION_OPERATION]: first.operation,
          'fapiao.tax.batch_size': batch.length,
        },
        links: parents.flatMap((parent) => {
          const linked = trace.getSpanContext(parent);
          return linked ? [{ context: linked }] : [];
        }),
      },
      parents[0],
    );
    const spans = batch.map((submission, index) =>
      tracer.startSpan(
        'tax-bridge forward submission',
        {
          attributes: {
            [FapiaoAttributes.SUBMISSION_OPERATION]: submission.operation,
            [FapiaoAttributes.INVOICE_ID]: submission.invoiceId,
            [FapiaoAttributes.TENANT_ID]: submission.tenantId,
            [FapiaoAttributes.SUBMISSION_SERIAL]: submission.serial,
            'fapiao.tax.attempt': submission.attempts,
            'fapiao.tax.batch_size': batch.length,
          },
          links: [{ context: span.spanContext() }],
        },
        parents[index],
      ),
    );
    const attempt: ResolveAttempt = { mayHaveReached: false };
    try {
      await context.with(trace.setSpan(parents[0], span), async () => {
        let outcomes: Map<string, OperationOutcome>;
        try {
          outcomes = await (operation.resolveBatch as NonNullable<typeof operation.resolveBatch>)(
            batch,
            attempt,
          );
        } catch (error) {
          this.report(batch, error, span);
          for (const submission of batch) this.giveBack(submission, attempt, error);
          await this.unitOfWork.run(() => this.submissions.saveLeasedAll(batch), RECORDING);
          return;
        }
        await this.recordBatch(batch, outcomes).catch((error: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
          throw error;
        });
        this.lastSuccessAt = new Date();
      });
    } finally {
      for (const each of spans) each.end();
      span.end();
    }
  }

  /** Settles what the batch answered, marks the rest unknown, and announces it all in one transaction. */
  private async recordBatch(batch: Submission[], outcomes: Map<string, OperationOutcome>): Promise<void> {
    const news: [Submission, OperationOutcome | null][] = batch.map((submission) => {
      const outcome = outcomes.get(submission.serial);
      if (outcome) return [submission, this.operations.of(submission.operation).settle(submission, outcome)];
      submission.unresolved(
        'no answer for this invoice in the batch answer',
        new Date(
          Date.now() + nextAttemptDelay(submission.attempts, this.config.retryBaseMs, this.config.retryCapMs),
        ),
      );
      return [submission, null];
    });
    await this.unitOfWork.run(async () => {
      const saved = await this.submissions.saveLeasedAll(news.map(([submission]) => submission));
      for (const [index, [submission, outcome]] of news.entries()) {
        // Lease lost: another forwarder took over and will announce the (same) outcome.
        if (saved[index] && outcome) await this.outcomes.publish(submission, outcome);
      }
    }, RECORDING);
  }

  /** Saves the settled submission and announces `outcome` (if any) in one transaction, while the lease holds. */
  private async record(submission: Submission, outcome: OperationOutcome | null): Promise<void> {
    await this.unitOfWork.run(async () => {
      const saved = await this.submissions.saveLeased(submission);
      // Lease lost: another forwarder took over and will announce the (same) outcome.
      if (saved && outcome) await this.outcomes.publish(submission, outcome);
    }, RECORDING);
  }

  private async refreshGauges(): Promise<void> {
    if (Date.now() - this.gaugesAt < GAUGE_REFRESH_MS) return;
    this.gaugesAt = Date.now();
    const stats = await this.submissions.stats();
    storeForwardDepth.set(stats.depth);
    storeForwardOldestAge.set(
      stats.oldestQueuedAt ? (Date.now() - stats.oldestQueuedAt.getTime()) / 1000 : 0,
    );
  }
}
