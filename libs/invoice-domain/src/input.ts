import { fail, ok, type Result } from './result';

// Guards for values that may arrive from JSON: validators never trust the static types of their arguments.

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** A value for an error message: strings and numbers as written, anything else by its type (never throws). */
export const show = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : typeof value === 'number'
      ? String(value)
      : describeType(value);

export const expectString = (value: unknown, what: string, field?: string): Result<string> =>
  typeof value === 'string'
    ? ok(value)
    : value === undefined
      ? fail('INPUT.REQUIRED', `${what} is required`, field)
      : fail('INPUT.TYPE', `${what} must be a string, got ${describeType(value)}`, field);

/** A required, non-blank string, returned trimmed. */
export function requiredText(value: unknown, field: string): Result<string> {
  const text = expectString(value, field, field);
  if (!text.ok) return text;
  const trimmed = text.value.trim();
  return trimmed === '' ? fail('INPUT.REQUIRED', `${field} must not be blank`, field) : ok(trimmed);
}

export const expectBoolean = (value: unknown, field: string): Result<boolean> =>
  typeof value === 'boolean'
    ? ok(value)
    : value === undefined
      ? fail('INPUT.REQUIRED', `${field} is required`, field)
      : fail('INPUT.TYPE', `${field} must be a boolean, got ${describeType(value)}`, field);
