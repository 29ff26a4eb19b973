import { DomainError } from '@fapiao/contracts';
import type { InvoiceStatus } from './invoice-status';

/**
 * Refusals of a red-letter reversal. Planning refusals come from the domain library with their own stable
 * codes (REVERSAL.ALREADY_FULLY_REVERSED, REVERSAL.ALREADY_PARTIALLY_REVERSED, REVERSAL.EXCEEDS_REMAINING,
 * REVERSAL.UNKNOWN_LINE, …), see reversal-plan.ts.
 */
export const ReversalErrors = {
  notFound: (id: string) =>
    new DomainError('not_found', 'REVERSAL.NOT_FOUND', `Reversal ${id} not found`, 'reversalId'),
  /** A message names another tenant's reversal: refused (dead-lettered), the reversal left as it was. */
  tenantMismatch: (id: string, tenantId: string) =>
    new DomainError(
      'forbidden',
      'REVERSAL.TENANT_MISMATCH',
      `Reversal ${id} does not belong to tenant ${tenantId}`,
      'tenantId',
    ),
  invoiceNotIssued: (status: InvoiceStatus) =>
    new DomainError(
      'conflict',
      'REVERSAL.INVOICE_NOT_ISSUED',
      `Only an issued invoice can be reversed; this one is ${status}`,
      'status',
    ),
  inProgress: (reversalId: string) =>
    new DomainError(
      'conflict',
      'REVERSAL.IN_PROGRESS',
      `Reversal ${reversalId} of this invoice is still in progress; reverse more once it ends`,
      'id',
    ),
  idempotencyKeyReused: () =>
    new DomainError(
      'validation',
      'REVERSAL.IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used for another reversal request',
      'Idempotency-Key',
    ),
  idempotencyKeyInvalid: () =>
    new DomainError(
      'validation',
      'REVERSAL.IDEMPOTENCY_KEY_INVALID',
      'The Idempotency-Key header has 1–200 characters',
      'Idempotency-Key',
    ),
  concurrentUpdate: (id: string) =>
    new DomainError(
      'concurrency',
      'REVERSAL.CONCURRENT_UPDATE',
      `Reversal ${id} was changed concurrently; retry`,
    ),
};
