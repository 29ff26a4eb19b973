import { Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import type { Envelope } from '@fapiao/contracts';
import { UnitOfWork } from '@fapiao/platform/persistence';
import { Submission } from '../domain/submission';
import type { SubmissionOperation } from '../domain/submission-state';
import { SubmissionErrors } from '../domain/submission.errors';
import { SubmissionRepository } from '../domain/submission.repository';
import { OutcomePublisher } from './outcome-publisher';
import type { OperationCommands } from './operations/authority-operation';
import { AuthorityOperations } from './operations/authority-operations';
import { SubmissionForwarder } from './submission-forwarder';

/**
 * Stores a command durably (store-and-forward) under its operation's serial and returns: the forwarder
 * submits it when the authority can take it. A repeated command (a saga re-sends after its deadline)
 * re-announces a known outcome.
 */
@Injectable()
export class SubmissionIntake {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly operations: AuthorityOperations,
    private readonly outcomes: OutcomePublisher,
    private readonly forwarder: SubmissionForwarder,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** A batch of commands: their submissions (mostly none yet) read in one statement. */
  async acceptAhead<K extends SubmissionOperation>(
    kind: K,
    envelopes: Envelope<OperationCommands[K]>[],
  ): Promise<void> {
    const operation = this.operations.of(kind);
    await this.submissions.loadAhead(envelopes.map((envelope) => operation.serialOf(envelope.payload)));
  }

  async accept<K extends SubmissionOperation>(
    kind: K,
    envelope: Envelope<OperationCommands[K]>,
  ): Promise<void> {
    const serial = this.operations.of(kind).serialOf(envelope.payload);
    await this.unitOfWork.run(async () => {
      const existing = await this.submissions.find(serial);
      if (existing) {
        if (existing.tenantId !== envelope.tenantId)
          throw SubmissionErrors.tenantMismatch(serial, envelope.tenantId);
        if (existing.answered) await this.outcomes.republish(existing, envelope);
        return;
      }
      const traceHeaders: Record<string, string> = {};
      propagation.inject(context.active(), traceHeaders);
      await this.submissions.add(Submission.accept({ serial, operation: kind, envelope, traceHeaders }));
      // Once committed the forwarder can lease it: look for work now instead of at the next poll.
      this.unitOfWork.afterCommit(() => this.forwarder.wakeSoon());
    });
  }
}
