import { DomainError } from '@fapiao/contracts';

export const InvoiceErrors = {
  notFound: (id: string) =>
    new DomainError('not_found', 'INVOICE.NOT_FOUND', `Invoice ${id} not found`, 'id'),
  concurrentUpdate: (id: string) =>
    new DomainError(
      'concurrency',
      'INVOICE.CONCURRENT_UPDATE',
      `Invoice ${id} was changed concurrently; retry`,
    ),
};
