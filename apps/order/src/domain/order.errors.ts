import { DomainError } from '@fapiao/contracts';
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
  concurrentUpdate: (id: string) =>
    new DomainError('concurrency', 'ORDER.CONCURRENT_UPDATE', `Order ${id} was changed concurrently; retry`),
};

export const TenantErrors = {
  unknown: (tenantId: string) =>
    new DomainError('validation', 'TENANT.UNKNOWN', `Tenant ${tenantId} is not known to auth`, 'tenantId'),
  directoryUnavailable: (reason: string) =>
    new DomainError(
      'unavailable',
      'TENANT.DIRECTORY_UNAVAILABLE',
      `The tenant directory is unavailable: ${reason}`,
    ),
};
