import { Injectable } from '@nestjs/common';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  type AuthorityIssueRequest,
  type Envelope,
} from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import type { IssueOutcome } from '../../domain/authority-outcome';
import type { Submission } from '../../domain/submission';
import { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import { AuthorityPolicy, type ResolveAttempt } from '../authority-policy';
import type { AuthorityOperation, OperationCommands } from './authority-operation';

type IssueCommand = OperationCommands['issue'];

const toAuthorityRequest = (command: IssueCommand): AuthorityIssueRequest => ({
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

/** Issues a blue invoice (IssueInvoice) under the invoice's serial. */
@Injectable()
export class IssueInvoiceOperation implements AuthorityOperation<'issue', IssueOutcome> {
  readonly kind = 'issue';

  constructor(
    private readonly policy: AuthorityPolicy,
    private readonly authority: TaxAuthorityAdapter,
    private readonly outbox: OutboxWriter,
  ) {}

  serialOf(command: IssueCommand): string {
    return command.serial;
  }

  /** Query by serial when it may have been sent before, then issue. */
  resolve(submission: Submission, attempt: ResolveAttempt): Promise<IssueOutcome> {
    const request = toAuthorityRequest(submission.command as IssueCommand);
    return this.policy.run(async (call) => {
      if (submission.sentBefore || attempt.mayHaveReached) {
        const found = await call((signal) => this.authority.findBySerial(submission.serial, signal));
        if (found) return found;
      }
      return this.policy.send(call, attempt, (signal) => this.authority.issue(request, signal));
    });
  }

  settle(submission: Submission, outcome: IssueOutcome): IssueOutcome {
    if (outcome.kind === 'issued') submission.issued(outcome.number, outcome);
    else submission.rejected(outcome);
    return outcome;
  }

  async announce(submission: Submission, outcome: IssueOutcome, causedBy: Envelope): Promise<void> {
    const base = { tenantId: submission.tenantId, key: submission.invoiceId, causedBy };
    const { invoiceId, serial } = submission;
    switch (outcome.kind) {
      case 'issued': {
        const { number, issuedAt, fileRef, totalGross } = outcome;
        await this.outbox.append(InvoiceIssuedByAuthority, {
          ...base,
          payload: { invoiceId, serial, number, issuedAt, fileRef, totalGross },
        });
        return;
      }
      case 'rejected':
        await this.outbox.append(InvoiceRejectedByAuthority, {
          ...base,
          payload: { invoiceId, serial, code: outcome.code, message: outcome.message },
        });
        return;
      default:
        throw new Error(`an issue submission has no ${(outcome as { kind: string }).kind} outcome`);
    }
  }
}
