import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  InvoiceReversedByAuthority,
  RedLetterFormRaised,
  ReversalRefusedByAuthority,
  type Envelope,
  type PayloadOf,
  type ReverseInvoice,
} from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import type { IssueOutcome, ReversalOutcome } from '../domain/authority-outcome';
import type { SubmissionEntity } from '../infrastructure/submission.entity';

/** Announces the authority's answers on fapiao.tax.events.v1, in the caller's transaction. */
@Injectable()
export class OutcomePublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  async publish(
    manager: EntityManager,
    submission: SubmissionEntity,
    outcome: IssueOutcome | ReversalOutcome,
  ): Promise<void> {
    const causedBy = JSON.parse(submission.causation) as Envelope;
    const base = { tenantId: submission.tenantId, key: submission.invoiceId, causedBy };
    const { invoiceId, serial } = submission;
    if (submission.operation === 'reverse') {
      const { reversalId, formSerial } = JSON.parse(submission.command) as PayloadOf<typeof ReverseInvoice>;
      switch (outcome.kind) {
        case 'awaiting':
          await this.outbox.append(manager, RedLetterFormRaised, {
            ...base,
            payload: {
              invoiceId,
              reversalId,
              formId: outcome.formId,
              formSerial,
              expiresAt: outcome.expiresAt,
            },
          });
          return;
        case 'reversed': {
          const { number, issuedAt, fileRef, totals } = outcome.red;
          await this.outbox.append(manager, InvoiceReversedByAuthority, {
            ...base,
            payload: {
              invoiceId,
              reversalId,
              formId: outcome.formId,
              redSerial: serial,
              number,
              issuedAt,
              fileRef,
              totals,
            },
          });
          return;
        }
        case 'rejected':
          await this.outbox.append(manager, ReversalRefusedByAuthority, {
            ...base,
            payload: { invoiceId, reversalId, code: outcome.code, message: outcome.message },
          });
          return;
        default:
          throw new Error(`a reversal has no ${outcome.kind} outcome`);
      }
    }
    if (outcome.kind === 'issued') {
      const { number, issuedAt, fileRef, totalGross } = outcome;
      await this.outbox.append(manager, InvoiceIssuedByAuthority, {
        ...base,
        payload: { invoiceId, serial, number, issuedAt, fileRef, totalGross },
      });
    } else if (outcome.kind === 'rejected') {
      await this.outbox.append(manager, InvoiceRejectedByAuthority, {
        ...base,
        payload: { invoiceId, serial, code: outcome.code, message: outcome.message },
      });
    } else {
      throw new Error(`an issue submission has no ${outcome.kind} outcome`);
    }
  }

  /** For a repeated command: the stored outcome again (consumers ignore what they already applied). */
  async republish(manager: EntityManager, submission: SubmissionEntity, causedBy: Envelope): Promise<void> {
    const stored = JSON.parse(submission.outcome ?? 'null') as IssueOutcome | ReversalOutcome | null;
    if (stored) await this.publish(manager, { ...submission, causation: JSON.stringify(causedBy) }, stored);
  }
}
