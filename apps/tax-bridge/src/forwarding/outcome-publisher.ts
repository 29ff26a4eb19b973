import { Injectable } from '@nestjs/common';
import type { Envelope } from '@fapiao/contracts';
import type { Submission } from '../domain/submission';
import type { OperationOutcome } from './operations/authority-operation';
import { AuthorityOperations } from './operations/authority-operations';

/** Announces the authority's answers on fapiao.tax.events.v1, in the open unit of work. */
@Injectable()
export class OutcomePublisher {
  constructor(private readonly operations: AuthorityOperations) {}

  publish(submission: Submission, outcome: OperationOutcome): Promise<void> {
    return this.operations.of(submission.operation).announce(submission, outcome, submission.causation);
  }

  /** For a repeated command: the stored outcome again (consumers ignore what they already applied). */
  async republish(submission: Submission, causedBy: Envelope): Promise<void> {
    if (submission.outcome)
      await this.operations.of(submission.operation).announce(submission, submission.outcome, causedBy);
  }
}
