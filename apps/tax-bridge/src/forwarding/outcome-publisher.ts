import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  type Envelope,
  type IssueInvoice,
  type PayloadOf,
} from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import type { IssueOutcome } from '../domain/authority-outcome';
import type { SubmissionEntity } from '../infrastructure/submission.entity';

/** Announces the authority's definite answer on fapiao.tax.events.v1, in the caller's transaction. */
@Injectable()
export class OutcomePublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  async publish(manager: EntityManager, submission: SubmissionEntity, outcome: IssueOutcome): Promise<void> {
    const causedBy = JSON.parse(submission.causation) as Envelope<PayloadOf<typeof IssueInvoice>>;
    const base = { tenantId: submission.tenantId, key: submission.invoiceId, causedBy };
    if (outcome.kind === 'issued') {
      await this.outbox.append(manager, InvoiceIssuedByAuthority, {
        ...base,
        payload: {
          invoiceId: submission.invoiceId,
          serial: submission.serial,
          number: outcome.number,
          issuedAt: outcome.issuedAt,
          fileRef: outcome.fileRef,
          totalGross: outcome.totalGross,
        },
      });
    } else {
      await this.outbox.append(manager, InvoiceRejectedByAuthority, {
        ...base,
        payload: {
          invoiceId: submission.invoiceId,
          serial: submission.serial,
          code: outcome.code,
          message: outcome.message,
        },
      });
    }
  }

  /** For a repeated command: the stored outcome again (consumers ignore what they already applied). */
  async republish(manager: EntityManager, submission: SubmissionEntity, causedBy: Envelope): Promise<void> {
    const stored = JSON.parse(submission.outcome ?? 'null') as IssueOutcome | null;
    if (stored) await this.publish(manager, { ...submission, causation: JSON.stringify(causedBy) }, stored);
  }
}
