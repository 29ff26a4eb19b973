import { DomainError } from '@fapiao/contracts';

export const OrderErrors = {
  notFound: (id: string) => new DomainError('not_found', 'ORDER.NOT_FOUND', `Order ${id} not found`, 'id'),
};
