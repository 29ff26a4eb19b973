import type { Envelope } from '@fapiao/contracts';
import { Submission, type SubmissionAnswer } from '../domain/submission';
import { SubmissionEntity } from './submission.entity';

/** Between the Submission aggregate and its row: the command, answer, envelope and trace context are JSON. */
export const SubmissionMapper = {
  toDomain(row: SubmissionEntity): Submission {
    return Submission.restore({
      serial: row.serial,
      operation: row.operation,
      invoiceId: row.invoiceId,
      tenantId: row.tenantId,
      state: row.state,
      command: JSON.parse(row.command) as unknown,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      leaseUntil: row.leaseUntil,
      lastError: row.lastError,
      number: row.number,
      formId: row.formId,
      outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as SubmissionAnswer),
      causation: JSON.parse(row.causation) as Envelope,
      traceHeaders: JSON.parse(row.traceHeaders) as Record<string, string>,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  },

  toPersistence(submission: Submission): SubmissionEntity {
    const row = new SubmissionEntity();
    row.serial = submission.serial;
    row.operation = submission.operation;
    row.invoiceId = submission.invoiceId;
    row.tenantId = submission.tenantId;
    row.state = submission.state;
    row.command = JSON.stringify(submission.command);
    row.attempts = submission.attempts;
    row.nextAttemptAt = submission.nextAttemptAt;
    row.leaseUntil = submission.leaseUntil;
    row.lastError = submission.lastError;
    row.number = submission.number;
    row.formId = submission.formId;
    row.outcome = submission.outcome === null ? null : JSON.stringify(submission.outcome);
    row.causation = JSON.stringify(submission.causation);
    row.traceHeaders = JSON.stringify(submission.traceHeaders);
    row.createdAt = submission.createdAt;
    row.updatedAt = submission.updatedAt;
    return row;
  },
};
