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

/**
 * Characters a printed name may not contain: C0 and C1 controls (tab and line breaks included) and DEL, and
 * the bidirectional formatting characters — marks (U+200E, U+200F, U+061C), embeddings and overrides
 * (U+202A–U+202E) and isolates (U+2066–U+2069) — which make a name read differently from what it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A required, non-blank name that goes on the invoice (a party, a line), returned trimmed. */
export function printableName(value: unknown, field: string): Result<string> {
  const text = requiredText(value, field);
  if (!text.ok) return text;
  const found = FORBIDDEN_IN_NAMES.exec(text.value);
  if (!found) return text;
  const codePoint = found[0].codePointAt(0) ?? 0;
  return fail(
    'INPUT.FORBIDDEN_CHARACTER',
    `${field} contains the control or bidirectional formatting character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} at position ${found.index}`,
    field,
  );
}

export const expectBoolean = (value: unknown, field: string): Result<boolean> =>
  typeof value === 'boolean'
    ? ok(value)
    : value === undefined
      ? fail('INPUT.REQUIRED', `${field} is required`, field)
      : fail('INPUT.TYPE', `${field} must be a boolean, got ${describeType(value)}`, field);
