import { isDomainError } from '@fapiao/contracts';

export type Disposition = 'retriable' | 'poison';

/**
 * The one place a handler's failure becomes retriable or poison. A domain error is poison unless its kind
 * says the world may change (concurrency, unavailable, rate limited). Anything else is an infrastructure
 * failure (database down, deadlock, timeout) and is retried — boundedly: then it is dead-lettered.
 */
export function classify(error: unknown): Disposition {
  if (!isDomainError(error)) return 'retriable';
  return error.kind === 'concurrency' || error.kind === 'unavailable' || error.kind === 'rate_limited'
    ? 'retriable'
    : 'poison';
}
