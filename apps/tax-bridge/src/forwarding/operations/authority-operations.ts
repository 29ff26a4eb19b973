import { Injectable } from '@nestjs/common';
import type { SubmissionOperation } from '../../domain/submission-state';
import type { AuthorityOperation } from './authority-operation';
import { IssueInvoiceOperation } from './issue-invoice.operation';
import { ReverseInvoiceOperation } from './reverse-invoice.operation';

/** The one place a submission's kind picks what it does: every kind has exactly one operation. */
@Injectable()
export class AuthorityOperations {
  private readonly byKind: { [K in SubmissionOperation]: AuthorityOperation<K> };

  constructor(issue: IssueInvoiceOperation, reverse: ReverseInvoiceOperation) {
    this.byKind = { issue, reverse };
  }

  of<K extends SubmissionOperation>(kind: K): AuthorityOperation<K> {
    return this.byKind[kind];
  }
}

export const AUTHORITY_OPERATIONS = [IssueInvoiceOperation, ReverseInvoiceOperation, AuthorityOperations];
