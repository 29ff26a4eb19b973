import { isDomainError } from '@fapiao/contracts';
import { isRejectedValue } from '@fapiao/platform/persistence';

export type Disposition = 'retriable' | 'poison';

/**
 * The one place a handler's failure becomes retriable or poison. A domain error is poison unless its kind
 * says the world may change (concurrency, unavailable, rate limited). So is a value the database refuses
 * (too long, out of range, NULL, failed CHECK): the same message would fail the same way every time.
 * Anything else is an infrastructure failure (database down, deadlock, timeout) and is retried —
 * boundedly: then it is dead-lettered.
 */
export function classify(error: unknown): Disposition {
  if (isRejectedValue(error)) return 'poison';
  if (!isDomainError(error)) return 'retriable';
  return error.kind === 'concurrency' || error.kind === 'unavailable' || error.kind === 'rate_limited'
    ? 'retriable'
    : 'poison';
}

/** The stable code a retried or dead-lettered message carries in `fapiao-error-code`. */
export function failureCode(error: unknown): string {
  if (isDomainError(error)) return error.code;
  return isRejectedValue(error) ? 'HANDLER.VALUE_REJECTED' : 'HANDLER.FAILED';
}
