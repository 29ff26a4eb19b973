import { DomainError } from '@fapiao/contracts';
import type { SubmissionState } from './submission-state';

export const SubmissionErrors = {
  /** A bug, never the authority's or a client's doing: the forwarder only moves submissions it leased. */
  illegalTransition: (serial: string, from: SubmissionState, to: SubmissionState) =>
    new DomainError(
      'conflict',
      'SUBMISSION.ILLEGAL_TRANSITION',
      `Submission ${serial} cannot go from ${from} to ${to}`,
      'state',
    ),
  /** A command under the serial of another tenant's submission: refused, that submission untouched. */
  tenantMismatch: (serial: string, tenantId: string) =>
    new DomainError(
      'forbidden',
      'SUBMISSION.TENANT_MISMATCH',
      `Submission ${serial} does not belong to tenant ${tenantId}`,
      'tenantId',
    ),
};
