import type {
  AuthorityBatchIssueItem,
  AuthorityIssueRequest,
  AuthorityRaiseRedLetterFormRequest,
  AuthorityRedLetterForm,
} from '@fapiao/contracts';
import type { FormOutcome, IssueOutcome, Issued } from '../../domain/authority-outcome';

/**
 * The one interface to the tax authority (乐企 direct connection or an intermediary such as 诺诺/百望):
 * a new platform is a new adapter. Every call throws OutcomeUnknown when the answer is not definite, and
 * AuthorityPaused when the authority refused without processing (rate limit, maintenance, certificate).
 * `signal` aborts the call (the bridge's timeout policy).
 */
export abstract class TaxAuthorityAdapter {
  abstract issue(request: AuthorityIssueRequest, signal?: AbortSignal): Promise<IssueOutcome>;
  /**
   * Issues up to AUTHORITY_BATCH_MAX_ITEMS blue invoices in one request (a batch upload). Answers per
   * serial: issued (or issued before: the same invoice) or definitely rejected; a serial missing from the
   * answer got no definite answer. Throws, for the whole batch, like `issue`.
   */
  abstract issueBatch(
    requests: AuthorityBatchIssueItem[],
    signal?: AbortSignal,
  ): Promise<Map<string, IssueOutcome>>;
  /** The invoice issued under this serial, or null when the authority has no record of it. */
  abstract findBySerial(serial: string, signal?: AbortSignal): Promise<Issued | null>;
  /** Raises a red-letter confirmation form (红字确认单), once per serial. */
  abstract raiseRedLetterForm(
    request: AuthorityRaiseRedLetterFormRequest,
    signal?: AbortSignal,
  ): Promise<FormOutcome>;
  /** The form raised under this serial, or null when the authority has no record of it. */
  abstract findRedLetterForm(serial: string, signal?: AbortSignal): Promise<AuthorityRedLetterForm | null>;
  /** A form as it stands now (the buyer may have confirmed or declined it). */
  abstract getRedLetterForm(id: string, signal?: AbortSignal): Promise<AuthorityRedLetterForm>;
}
