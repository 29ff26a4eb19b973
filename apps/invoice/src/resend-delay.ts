import type { InvoiceConfig } from './invoice.config';

/**
 * When a saga whose command went unanswered re-sends it next: doubling from the step deadline with each
 * expired attempt, capped at INVOICE_SUBMISSION_RETRY_CAP_MS. Never given up: the commands are idempotent.
 */
export const resendDelayMs = (config: InvoiceConfig, attempts: number): number =>
  Math.min(config.submissionTimeoutMs * 2 ** Math.min(attempts, 10), config.submissionRetryCapMs);
