import type { AuthorityIssueRequest } from '@fapiao/contracts';
import type { IssueOutcome } from '../../domain/authority-outcome';

/**
 * The one interface to the tax authority (乐企 direct connection or an intermediary such as 诺诺/百望):
 * a new platform is a new adapter. Both calls throw OutcomeUnknown when the answer is not definite.
 */
export abstract class TaxAuthorityAdapter {
  abstract issue(request: AuthorityIssueRequest): Promise<IssueOutcome>;
  /** The invoice issued under this serial, or null when the authority has no record of it. */
  abstract findBySerial(serial: string): Promise<Extract<IssueOutcome, { kind: 'issued' }> | null>;
}
