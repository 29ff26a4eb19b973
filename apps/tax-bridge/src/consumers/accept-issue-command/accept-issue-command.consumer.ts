import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { context, propagation } from '@opentelemetry/api';
import { IssueInvoice, type Envelope, type PayloadOf } from '@fapiao/contracts';
import { MessageContext, onMessage } from '@fapiao/platform/messaging';
import { annotateActiveSpan } from '@fapiao/platform/observability';
import { SubmissionEntity } from '../../infrastructure/submission.entity';
import { SubmissionRepository } from '../../infrastructure/submission.repository';
import { OutcomePublisher } from '../../forwarding/outcome-publisher';
import { SubmissionForwarder } from '../../forwarding/submission-forwarder';

/**
 * Stores the command durably (store-and-forward) and returns: the forwarder submits it when the authority
 * can take it. A repeated command (the saga re-sends after its deadline) re-announces a known outcome.
 */
@Controller()
export class AcceptIssueCommandConsumer {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly outcomes: OutcomePublisher,
    private readonly forwarder: SubmissionForwarder,
  ) {}

  @EventPattern(onMessage(IssueInvoice))
  async handle(
    @Payload() envelope: Envelope<PayloadOf<typeof IssueInvoice>>,
    @Ctx() { manager }: MessageContext,
  ) {
    const command = envelope.payload;
    annotateActiveSpan({ invoiceId: command.invoiceId });
    const existing = await this.submissions.find(manager, command.serial);
    if (existing) {
      if (existing.state === 'ISSUED' || existing.state === 'REJECTED')
        await this.outcomes.republish(manager, existing, envelope);
      return;
    }
    const traceHeaders: Record<string, string> = {};
    propagation.inject(context.active(), traceHeaders);
    const submission = new SubmissionEntity();
    submission.serial = command.serial;
    submission.invoiceId = command.invoiceId;
    submission.tenantId = envelope.tenantId;
    submission.state = 'QUEUED';
    submission.command = JSON.stringify(command);
    submission.attempts = 0;
    submission.nextAttemptAt = new Date();
    submission.leaseUntil = null;
    submission.lastError = null;
    submission.number = null;
    submission.causation = JSON.stringify(envelope);
    submission.traceHeaders = JSON.stringify(traceHeaders);
    submission.createdAt = new Date();
    submission.updatedAt = submission.createdAt;
    await this.submissions.insert(manager, submission);
    this.forwarder.wakeSoon();
  }
}
