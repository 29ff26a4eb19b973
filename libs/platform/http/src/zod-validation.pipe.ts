import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, type FieldError } from '@fapiao/contracts';

/** Turns zod issues into field errors with JSON-path-like fields (`lines[0].taxCode`). */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    code: `REQUEST.${issue.code.toUpperCase()}`,
    message: issue.message,
    field: issue.path.reduce<string>(
      (path, key) =>
        typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key),
      '',
    ),
  }));
}

/**
 * The most field errors one answer lists: a body of 2000 bad lines is refused with the first 50 (the
 * message counts them all), never with a megabyte of errors.
 */
export const MAX_FIELD_ERRORS = 50;

/**
 * Validates a request part against a contract schema; every failing field is reported, not just the first
 * (up to MAX_FIELD_ERRORS).
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  // Public so the OpenAPI check can compare /docs with what is actually validated.
  constructor(
    readonly schema: S,
    readonly code = 'REQUEST.INVALID',
  ) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const all = zodFieldErrors(parsed.error);
    const errors = all.slice(0, MAX_FIELD_ERRORS);
    const message =
      all.length > errors.length
        ? `The request is invalid: ${all.length} problems, the first ${errors.length} listed`
        : 'The request is invalid';
    throw new DomainError('validation', this.code, message, errors[0]?.field, errors);
  }
}
