import { Inject, Injectable } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import { Gauge } from 'prom-client';
import { FapiaoAttributes } from '@fapiao/platform/observability';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { BackgroundWorker } from '@fapiao/platform/resilience';
import { AuthorityPaused, OutcomeUnknown } from '../domain/authority-outcome';
import type { Submission } from '../domain/submission';
import { nextAttemptDelay } from '../domain/submission-state';
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

/** Refusals before anything was sent: the lease is given back instead of spending an attempt. */
const HELD_BACK = [AuthorityPaused, BrokenCircuitError, BulkheadRejectedError];

/**
 * Drains the store-and-forward queue: leases due submissions oldest first and sends them through the
 * AuthorityPolicy, each by the AuthorityOperation of its kind. The rule that prevents double issuance: a
 * submission that was ever sent before (its outcome may be unknown) is first looked up by serial, and
 * resubmitted only when the authority has no record of it. The serial never changes. While the circuit is open or submission is paused nothing is
 * leased, so submissions wait in the queue without spending attempts and drain oldest first afterwards.
 */
@Injectable()
export class SubmissionForwarder extends BackgroundWorker {
  private readonly active = new Set<Promise<void>>();
  private inFlight = 0;
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

  protected async round(): Promise<number> {
    const free = Math.min(this.policy.admission(), this.config.concurrency - this.inFlight);
    const claimed =
      free > 0 ? await this.submissions.claimDue(Math.min(free, this.config.batch), this.config.leaseMs) : [];
    for (const submission of claimed) {
      this.inFlight += 1;
      const task = this.forward(submission)
        // Recording the outcome failed too (the database is away): the lease brings the submission
        // back, and resolve-before-resubmit finds what the authority did with it.
        .catch((error: unknown) =>
          this.logger.warn(
            `forward ${submission.serial}: not recorded (${messageOf(error)}); retried once its lease ends`,
          ),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.active.delete(task);
          this.wake();
        });
      this.active.add(task);
    }
    await this.refreshGauges();
    return claimed.length === 0 ? this.config.pollMs : 0;
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
    const message = messageOf(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (error instanceof AuthorityPaused && error.reason === 'certificate_expired') {
      this.logger.error(
        `tax authority refuses the client certificate (${message}): submission paused until an operator renews it`,
      );
    } else if (!HELD_BACK.some((type) => error instanceof type) && !(error instanceof OutcomeUnknown)) {
      this.logger.error(`forward ${submission.serial}: ${String(error)}`);
    }
    // The breaker's refusal is no news: the last error stays the one that opened it.
    if (!(error instanceof BrokenCircuitError)) this.lastError = { at: new Date(), message };
    if (!attempt.mayHaveReached && HELD_BACK.some((type) => error instanceof type)) {
      submission.release();
      await this.submissions.saveLeased(submission);
      return;
    }
    const delay =
      error instanceof AuthorityPaused
        ? error.until.getTime() - Date.now()
        : error instanceof BrokenCircuitError
          ? 0
          : (error instanceof OutcomeUnknown && error.retryAfterMs) ||
            nextAttemptDelay(submission.attempts, this.config.retryBaseMs, this.config.retryCapMs);
    submission.unresolved(message, new Date(Date.now() + Math.max(0, delay)));
    await this.submissions.saveLeased(submission);
  }

  /** Saves the settled submission and announces `outcome` (if any) in one transaction, while the lease holds. */
  private async record(submission: Submission, outcome: OperationOutcome | null): Promise<void> {
    await this.unitOfWork.run(async () => {
      const saved = await this.submissions.saveLeased(submission);
      // Lease lost: another forwarder took over and will announce the (same) outcome.
      if (saved && outcome) await this.outcomes.publish(submission, outcome);
    });
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
