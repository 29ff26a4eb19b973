import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DomainError } from '@fapiao/contracts';

const MAX_LENGTH = 200;

export interface IdempotencyKeyOptions {
  /** Whether a request without the header is refused, rather than simply not idempotent. */
  required: boolean;
  /** The route's own refusal of a missing (when required), blank or over-long key. */
  invalid: () => DomainError;
}

/**
 * The `Idempotency-Key` header of a route whose retries must not act twice: trimmed, 1–200 characters,
 * undefined when absent and optional. The route stores it with what the request did and answers a replay
 * with the first outcome and `Idempotent-Replayed: true` (`markReplayed`).
 */
export const IdempotencyKey = createParamDecorator(
  (options: IdempotencyKeyOptions, context: ExecutionContext): string | undefined =>
    idempotencyKeyOf(context.switchToHttp().getRequest<Request>().header('idempotency-key'), options),
);

export function idempotencyKeyOf(
  header: string | undefined,
  options: IdempotencyKeyOptions,
): string | undefined {
  if (header === undefined && !options.required) return undefined;
  const key = header?.trim();
  if (!key || key.length > MAX_LENGTH) throw options.invalid();
  return key;
}

/** Documents the header on a route that takes `@IdempotencyKey`. */
export const ApiIdempotencyKey = (required: boolean, description: string) =>
  ApiHeader({
    name: 'Idempotency-Key',
    required,
    description,
    schema: { type: 'string', minLength: 1, maxLength: MAX_LENGTH },
  });

/** The response repeats an earlier request's outcome. */
export function markReplayed(response: Response): void {
  response.setHeader('Idempotent-Replayed', 'true');
}
