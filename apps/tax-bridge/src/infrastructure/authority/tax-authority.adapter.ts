import type { AuthorityIssueRequest } from '@fapiao/contracts';
import type { IssueOutcome } from '../../domain/authority-outcome';

/**
 * The one interface to the tax authority (乐企 direct connection or an intermediary such as 诺诺/百望):
 * a new platform is a new adapter. Both calls throw OutcomeUnknown when the answer is not definite, and
 * AuthorityPaused when the authority refused without processing (rate limit, maintenance, certificate).
 * `signal` aborts the call (the bridge's timeout policy).
 */
export abstract class TaxAuthorityAdapter {
  abstract issue(request: AuthorityIssueRequest, signal?: AbortSignal): Promise<IssueOutcome>;
  /** The invoice issued under this serial, or null when the authority has no record of it. */
  abstract findBySerial(
    serial: string,
    signal?: AbortSignal,
  ): Promise<Extract<IssueOutcome, { kind: 'issued' }> | null>;
}
