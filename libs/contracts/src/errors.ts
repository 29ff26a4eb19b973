/**
 * What kind of failure a domain error is. The edge maps a kind to an HTTP status or to
 * retriable/poison for consumers, in one place each; domain code only names the kind.
 */
export type ErrorKind =
  | 'validation'
  | 'not_found'
  | 'conflict'
  /** Lost an optimistic-locking race: the same request may succeed when repeated. */
  | 'concurrency'
  | 'unauthenticated'
  | 'forbidden'
  | 'unavailable'
  | 'rate_limited';

export interface FieldError {
  code: string;
  message: string;
  field?: string;
}

/** Machine-readable error body every HTTP service answers with. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  errors?: FieldError[];
  /** Structured context, e.g. which readiness check failed. */
  details?: unknown;
  traceId?: string;
}

/** A failure the domain expects, with a stable code such as `ORDER.NOT_FOUND`. Framework-free. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
