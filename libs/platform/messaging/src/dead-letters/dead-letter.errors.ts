import { DomainError } from '@fapiao/contracts';

export const DeadLetterErrors = {
  /** Also the answer for another tenant's dead letter: its existence is not disclosed. */
  notFound: (id: string) =>
    new DomainError('not_found', 'DEAD_LETTER.NOT_FOUND', `Dead letter ${id} not found`, 'id'),
};
