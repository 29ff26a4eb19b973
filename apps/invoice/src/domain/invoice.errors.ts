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
  concurrentUpdate: (id: string) =>
    new DomainError(
      'concurrency',
      'INVOICE.CONCURRENT_UPDATE',
      `Invoice ${id} was changed concurrently; retry`,
    ),
};
