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

/** Validates a request part against a contract schema; every failing field is reported, not just the first. */
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
    const errors = zodFieldErrors(parsed.error);
    throw new DomainError('validation', this.code, 'The request is invalid', errors[0]?.field, errors);
  }
}
