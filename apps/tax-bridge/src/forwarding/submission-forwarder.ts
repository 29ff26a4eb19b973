import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { AuthorityIssueRequest, IssueInvoice, PayloadOf, ReverseInvoice } from '@fapiao/contracts';
import { FapiaoAttributes } from '@fapiao/platform/observability';
import { OutboxWriter } from '@fapiao/platform/messaging';
import {
  AuthorityPaused,
  OutcomeUnknown,
  type IssueOutcome,
  type ReversalOutcome,
} from '../domain/authority-outcome';
import { nextAttemptDelay, nextFormCheckAt } from '../domain/submission-state';
import type { SubmissionEntity } from '../infrastructure/submission.entity';
import { SubmissionRepository, type SettleChange } from '../infrastructure/submission.repository';
import { TAX_BRIDGE_CONFIG, type TaxBridgeConfig } from '../tax-bridge.config';
import { AuthorityPolicy, type ResolveAttempt } from './authority-policy';
import { OutcomePublisher } from './outcome-publisher';
import { ReversalResolver } from './reversal-resolver';
import { BackgroundWorker } from '@fapiao/platform/resilience';

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

const toAuthorityRequest = (command: PayloadOf<typeof IssueInvoice>): AuthorityIssueRequest => ({
  serial: command.serial,
  kind: 'blue',
  invoiceType: command.invoiceType,
  seller: command.seller,
  buyer: command.buyer,
  lines: command.lines.map(
    ({
      lineNo,
      name,
      taxCode,
      quantity,
      unitPrice,
      taxRate,
      priceIncludesTax,
      unit,
      specification,
      net,
      tax,
      gross,
    }) => ({
      lineNo,
      name,
      taxCode,
      quantity,
      unitPrice,
      taxRate,
      priceIncludesTax,
      ...(unit ? { unit } : {}),
      ...(specification ? { specification } : {}),
      net,
      tax,
      gross,
    }),
  ),
  totals: command.totals,
});

/** Refusals before anything was sent: the lease is given back instead of spending an attempt. */
const HELD_BACK = [AuthorityPaused, BrokenCircuitError, BulkheadRejectedError];

/**
 * Drains the store-and-forward queue: leases due submissions oldest first and sends them through the
 * AuthorityPolicy. The rule that prevents double issuance: a submission that was ever sent before (its
 * outcome may be unknown) is first looked up by serial, and resubmitted only when the authority has no
 * record of it. The serial never changes. While the circuit is open or submission is paused nothing is
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
    private readonly reversals: ReversalResolver,
    private readonly outcomes: OutcomePublisher,
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
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
            `forward ${submission.serial}: not recorded (${error instanceof Error ? error.message : String(error)}); retried once its lease ends`,
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

  private async forward(submission: SubmissionEntity): Promise<void> {
    const parent = propagation.extract(
      ROOT_CONTEXT,
      JSON.parse(submission.traceHeaders) as Record<string, string>,
    );
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
        const sentBefore = submission.attempts > 1;
        if (submission.operation === 'reverse') {
          const command = JSON.parse(submission.command) as PayloadOf<typeof ReverseInvoice>;
          await this.settleReversal(
            submission,
            await this.reversals.resolve(command, submission.formId, sentBefore, attempt),
          );
        } else {
          const command = JSON.parse(submission.command) as PayloadOf<typeof IssueInvoice>;
          await this.settle(
            submission,
            await this.policy.resolve(submission.serial, toAuthorityRequest(command), sentBefore, attempt),
          );
        }
        this.lastSuccessAt = new Date();
      } catch (error) {
        await this.unresolved(submission, attempt, error, span);
      } finally {
        span.end();
      }
    });
  }

  private async unresolved(
    submission: SubmissionEntity,
    attempt: ResolveAttempt,
    error: unknown,
    span: Span,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
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
      await this.submissions.release(submission);
      return;
    }
    const delay =
      error instanceof AuthorityPaused
        ? error.until.getTime() - Date.now()
        : error instanceof BrokenCircuitError
          ? 0
          : (error instanceof OutcomeUnknown && error.retryAfterMs) ||
            nextAttemptDelay(submission.attempts, this.config.retryBaseMs, this.config.retryCapMs);
    await this.dataSource.transaction((manager) =>
      this.submissions.settle(manager, submission, {
        state: 'UNKNOWN',
        lastError: message.slice(0, 500),
        nextAttemptAt: new Date(Date.now() + Math.max(0, delay)),
      }),
    );
  }

  private settle(submission: SubmissionEntity, outcome: IssueOutcome): Promise<void> {
    return this.record(submission, outcome, {
      state: outcome.kind === 'issued' ? 'ISSUED' : 'REJECTED',
      number: outcome.kind === 'issued' ? outcome.number : null,
      outcome: JSON.stringify(outcome),
      lastError: outcome.kind === 'rejected' ? `${outcome.code}: ${outcome.message}`.slice(0, 500) : null,
    });
  }

  /**
   * A form awaiting the buyer is looked at again later (nextFormCheckAt: sooner for a fresh form, at most
   * TAX_FORM_POLL_MAX_MS apart, and just after it expires); that it was raised is announced once, when its
   * id is first learnt.
   */
  private settleReversal(submission: SubmissionEntity, outcome: ReversalOutcome): Promise<void> {
    if (outcome.kind === 'awaiting') {
      const change = {
        state: 'AWAITING' as const,
        formId: outcome.formId,
        lastError: null,
        nextAttemptAt: nextFormCheckAt(
          new Date(),
          new Date(outcome.raisedAt),
          outcome.expiresAt === null ? null : new Date(outcome.expiresAt),
          this.config.formPoll,
        ),
      };
      return this.record(submission, submission.formId ? null : outcome, change);
    }
    return this.record(submission, outcome, {
      state: outcome.kind === 'reversed' ? 'ISSUED' : 'REJECTED',
      number: outcome.kind === 'reversed' ? outcome.red.number : null,
      ...(outcome.kind === 'reversed' ? { formId: outcome.formId } : {}),
      outcome: JSON.stringify(outcome),
      lastError: outcome.kind === 'rejected' ? `${outcome.code}: ${outcome.message}`.slice(0, 500) : null,
    });
  }

  /** Applies the change and announces `outcome` (if any) in one transaction, while the lease holds. */
  private async record(
    submission: SubmissionEntity,
    outcome: IssueOutcome | ReversalOutcome | null,
    change: SettleChange,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const settled = await this.submissions.settle(manager, submission, change);
      // Lease lost: another forwarder took over and will announce the (same) outcome.
      if (settled && outcome) await this.outcomes.publish(manager, submission, outcome);
    });
    this.outbox.notifyCommitted();
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
