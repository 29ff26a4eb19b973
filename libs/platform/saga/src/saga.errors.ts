import { DomainError, type FieldError } from '@fapiao/contracts';
import type { SagaState } from './saga.types';

export const SagaErrors = {
  notFound: (id: string) => new DomainError('not_found', 'SAGA.NOT_FOUND', `Saga ${id} not found`, 'id'),
  /** Someone else changed the saga since it was loaded: reload and repeat (the consumer runner retries). */
  concurrentUpdate: (id: string) =>
    new DomainError('concurrency', 'SAGA.CONCURRENT_UPDATE', `Saga ${id} was changed concurrently`),
  invalidState: (id: string, action: string, state: SagaState, expected: readonly SagaState[]) =>
    new DomainError(
      'conflict',
      'SAGA.INVALID_STATE',
      `Cannot ${action} saga ${id} in state ${state}; it must be ${expected.join(' or ')}`,
      'state',
    ),
  idConflict: (id: string) =>
    new DomainError(
      'conflict',
      'SAGA.ID_CONFLICT',
      `Saga ${id} already exists for another type or tenant`,
      'id',
    ),
  unknownType: (type: string) =>
    new DomainError(
      'validation',
      'SAGA.UNKNOWN_TYPE',
      `No saga definition is registered for type ${type}`,
      'type',
    ),
  invalidArgument: (errors: FieldError[]) =>
    new DomainError('validation', 'SAGA.INVALID_ARGUMENT', 'Invalid saga argument', errors[0]?.field, errors),
};
