import { Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '@fapiao/contracts';
import type { SubmissionOperation } from '../domain/submission-state';
import { SubmissionEntity } from '../infrastructure/submission.entity';
import { SubmissionRepository } from '../infrastructure/submission.repository';
import { OutcomePublisher } from './outcome-publisher';
import { SubmissionForwarder } from './submission-forwarder';

/**
 * Stores a command durably (store-and-forward) and returns: the forwarder submits it when the authority
 * can take it. A repeated command (a saga re-sends after its deadline) re-announces a known outcome.
 */
@Injectable()
export class SubmissionIntake {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly outcomes: OutcomePublisher,
    private readonly forwarder: SubmissionForwarder,
  ) {}

  async accept(
    manager: EntityManager,
    envelope: Envelope<{ invoiceId: string }>,
    operation: SubmissionOperation,
    serial: string,
  ): Promise<void> {
    const existing = await this.submissions.find(manager, serial);
    if (existing) {
      if (existing.state === 'ISSUED' || existing.state === 'REJECTED')
        await this.outcomes.republish(manager, existing, envelope);
      return;
    }
    const traceHeaders: Record<string, string> = {};
    propagation.inject(context.active(), traceHeaders);
    const submission = new SubmissionEntity();
    submission.serial = serial;
    submission.operation = operation;
    submission.invoiceId = envelope.payload.invoiceId;
    submission.tenantId = envelope.tenantId;
    submission.state = 'QUEUED';
    submission.command = JSON.stringify(envelope.payload);
    submission.attempts = 0;
    submission.nextAttemptAt = new Date();
    submission.leaseUntil = null;
    submission.lastError = null;
    submission.number = null;
    submission.formId = null;
    submission.outcome = null;
    submission.causation = JSON.stringify(envelope);
    submission.traceHeaders = JSON.stringify(traceHeaders);
    submission.createdAt = new Date();
    submission.updatedAt = submission.createdAt;
    await this.submissions.insert(manager, submission);
    this.forwarder.wakeSoon();
  }
}
