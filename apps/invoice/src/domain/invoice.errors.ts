import { DomainError } from '@fapiao/contracts';
import type { InvoiceStatus } from './invoice-status';

export const InvoiceErrors = {
  notFound: (id: string) =>
    new DomainError('not_found', 'INVOICE.NOT_FOUND', `Invoice ${id} not found`, 'id'),
  illegalTransition: (id: string, from: InvoiceStatus, to: InvoiceStatus) =>
    new DomainError(
      'conflict',
      'INVOICE.ILLEGAL_TRANSITION',
      `Invoice ${id} is ${from}: it cannot become ${to}${from === 'ISSUED' ? ' (an issued invoice needs a red-letter reversal)' : ''}`,
      'status',
    ),
  /** A message names another tenant's invoice: refused (dead-lettered), the invoice left as it was. */
  tenantMismatch: (id: string, tenantId: string) =>
    new DomainError(
      'forbidden',
      'INVOICE.TENANT_MISMATCH',
      `Invoice ${id} does not belong to tenant ${tenantId}`,
      'tenantId',
    ),
  concurrentUpdate: (id: string) =>
    new DomainError(
      'concurrency',
      'INVOICE.CONCURRENT_UPDATE',
      `Invoice ${id} was changed concurrently; retry`,
    ),
};
