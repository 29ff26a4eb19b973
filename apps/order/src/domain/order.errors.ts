import { DomainError, type FieldError } from '@fapiao/contracts';
import type { OrderStatus } from './order-status';

export const OrderErrors = {
  notFound: (id: string) => new DomainError('not_found', 'ORDER.NOT_FOUND', `Order ${id} not found`, 'id'),
  idempotencyKeyRequired: () =>
    new DomainError(
      'validation',
      'ORDER.IDEMPOTENCY_KEY_REQUIRED',
      'The Idempotency-Key header is required (1–200 characters)',
      'Idempotency-Key',
    ),
  idempotencyKeyReused: () =>
    new DomainError(
      'validation',
      'ORDER.IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request body',
      'Idempotency-Key',
    ),
  /** The invoice of this order could never be issued: every failing field (the first 50) with its code. */
  notInvoiceable: (
    message = 'the draft has 1 problem: lines[0].taxRate',
    errors: FieldError[] = [
      {
        code: 'TAX_RATE.NOT_IN_TABLE',
        message: 'rate "0.07" is not in the table',
        field: 'lines[0].taxRate',
      },
    ],
  ) =>
    new DomainError(
      'validation',
      'ORDER.NOT_INVOICEABLE',
      `The order cannot be invoiced: ${message}`,
      errors[0]?.field,
      errors,
    ),
  /** Cancelling an invoiced order issues a red-letter invoice: that takes the scope that reverses. */
  reversalNotPermitted: (status: OrderStatus = 'INVOICED') =>
    new DomainError(
      'forbidden',
      'ORDER.REVERSAL_NOT_PERMITTED',
      `The order is ${status}: cancelling it reverses its invoice, which requires the invoices:reverse scope as well as orders:write`,
      'scope',
    ),
  sellerUnknown: () =>
    new DomainError(
      'forbidden',
      'ORDER.SELLER_UNKNOWN',
      'The token does not name the seller tax id of its tenant',
    ),
  notCancellable: (status: OrderStatus) =>
    new DomainError(
      'conflict',
      'ORDER.NOT_CANCELLABLE',
      status === 'INVOICING'
        ? 'The order is INVOICING: wait until the invoice is issued or rejected, then cancel again'
        : `An order in status ${status} cannot be cancelled`,
      'status',
    ),
  /** More orders are in flight than the suite is configured to hold (ORDER_MAX_BACKLOG): come back later. */
  backlogFull: (inFlight: number, retryAfterS: number) =>
    new DomainError(
      'rate_limited',
      'ORDER.BACKLOG_FULL',
      `${inFlight} orders are being invoiced, the most this installation holds at once; retry in ${retryAfterS} s`,
    ),
  /** Orders arrive faster than they can be stored: a new one would queue too long (ORDER_MAX_INTAKE_WAIT_MS). */
  intakeBusy: (waitMs: number) =>
    new DomainError(
      'rate_limited',
      'ORDER.INTAKE_BUSY',
      `Orders arrive faster than they can be stored (this one would wait ${waitMs} ms for its turn); retry in 1 s`,
    ),
  /** A message names another tenant's order: refused (dead-lettered), the order left as it was. */
  tenantMismatch: (id: string, tenantId: string) =>
    new DomainError(
      'forbidden',
      'ORDER.TENANT_MISMATCH',
      `Order ${id} does not belong to tenant ${tenantId}`,
      'tenantId',
    ),
  concurrentUpdate: (id: string) =>
    new DomainError('concurrency', 'ORDER.CONCURRENT_UPDATE', `Order ${id} was changed concurrently; retry`),
};
