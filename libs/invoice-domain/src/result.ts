import type { ErrorCode } from './errors';

/** A domain failure: a stable code to branch on, a message for people, and the JSON path of the bad input. */
export interface DomainError {
  readonly code: ErrorCode;
  readonly message: string;
  /** JSON path relative to the function's argument, e.g. `lines[2].taxCode`. */
  readonly field?: string;
}

/** A failure that lists every problem found, so a caller can fix them all in one round trip. */
export interface ValidationFailure extends DomainError {
  readonly errors: readonly DomainError[];
}

export type Result<T, E extends DomainError = DomainError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const fail = (
  code: ErrorCode,
  message: string,
  field?: string,
): { readonly ok: false; readonly error: DomainError } => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

/** Re-roots an error found in a nested value: `under('lines[2]', {field: 'amount'})` names `lines[2].amount`. */
export function under(path: string | undefined, error: DomainError): DomainError {
  if (path === undefined) return error;
  const field =
    error.field === undefined
      ? path
      : error.field.startsWith('[')
        ? path + error.field
        : `${path}.${error.field}`;
  return { ...error, field };
}

/** The same result with its error re-rooted under `path`. */
export const atField = <T>(result: Result<T>, path: string): Result<T> =>
  result.ok ? result : { ok: false, error: under(path, result.error) };

/** Several problems reported at once: the first one leads (so `code` stays specific), all are listed. */
export function failAll(errors: readonly DomainError[]): {
  readonly ok: false;
  readonly error: ValidationFailure;
} {
  return { ok: false, error: { ...errors[0], errors } };
}
