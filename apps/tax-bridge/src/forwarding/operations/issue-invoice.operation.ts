import { Injectable } from '@nestjs/common';
import {
  InvoiceIssuedByAuthority,
  InvoiceRejectedByAuthority,
  type AuthorityBatchIssueItem,
  type Envelope,
} from '@fapiao/contracts';
import { OutboxWriter } from '@fapiao/platform/messaging';
import type { IssueOutcome } from '../../domain/authority-outcome';
import type { Submission } from '../../domain/submission';
import { TaxAuthorityAdapter } from '../../infrastructure/authority/tax-authority.adapter';
import { AuthorityPolicy, type ResolveAttempt } from '../authority-policy';
import type { AuthorityOperation, OperationCommands } from './authority-operation';

type IssueCommand = OperationCommands['issue'];

const toAuthorityRequest = (command: IssueCommand): AuthorityBatchIssueItem => ({
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

/** The largest batch body sent: the authority reads JSON bodies of up to 100 KB (Express's default). */
export const BATCH_BODY_BYTES = 96 * 1024;

/**
 * Issues a blue invoice (IssueInvoice) under the invoice's serial; several never-sent ones together as a
 * batch upload (resolveBatch), each still answered on its own.
 */
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

  /** Only an issue never sent before: anything that may have reached the authority is looked up first. */
  batchable(submission: Submission): boolean {
    return !submission.sentBefore;
  }

  /** In request order, at most `max` and BATCH_BODY_BYTES per upload; one that is alone goes single. */
  planBatches(submissions: Submission[], max: number): Submission[][] {
    const batches: Submission[][] = [];
    let current: Submission[] = [];
    let bytes = 0;
    for (const submission of submissions) {
      const size = Buffer.byteLength(JSON.stringify(toAuthorityRequest(submission.command as IssueCommand)));
      if (current.length > 0 && (current.length >= max || bytes + size > BATCH_BODY_BYTES)) {
        batches.push(current);
        [current, bytes] = [[], 0];
      }
      current.push(submission);
      bytes += size + 1;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  /**
   * One batch upload. Not retried within the step: after an unknown outcome (timeout, 5xx, reset) the
   * forwarder marks every submission of it unknown, and each is looked up by serial before it is sent
   * again (resolve). Refused at the door (pause, open circuit, full bulkhead): nothing was sent.
   */
  async resolveBatch(submissions: Submission[], attempt: ResolveAttempt): Promise<Map<string, IssueOutcome>> {
    const stray = submissions.find((submission) => !this.batchable(submission));
    // The one rule batching must never bend: a serial that may have been sent is queried before a resend.
    if (stray || attempt.mayHaveReached)
      throw new Error(`${stray?.serial ?? 'a batch'} may have reached the authority: it is resolved alone`);
    const requests = submissions.map((submission) => toAuthorityRequest(submission.command as IssueCommand));
    return this.policy.run(
      (call) =>
        this.policy.send(
          call,
          attempt,
          (signal) => this.authority.issueBatch(requests, signal),
          requests.length,
        ),
      { retry: false },
    );
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
