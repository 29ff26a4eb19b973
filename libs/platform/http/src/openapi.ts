import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { isDomainError, type DomainError, type ErrorBody } from '@fapiao/contracts';
import { HTTP_STATUS_BY_KIND } from './error-filter';

/**
 * The OpenAPI form of a zod schema, so /docs shows exactly what validation accepts (`input`: defaults
 * optional, coercions as typed) and what handlers return (`output`).
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    reused: 'inline',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // A record keyed by an enum has every key; OpenAPI 3.0 has no propertyNames, so name them.
      if (zodSchema._zod.def.type !== 'record' || !jsonSchema.required || jsonSchema.properties) return;
      const value = jsonSchema.additionalProperties ?? {};
      jsonSchema.properties = Object.fromEntries(jsonSchema.required.map((key) => [key, value]));
      jsonSchema.additionalProperties = false;
    },
  }) as Record<string, unknown>;
  return json as SchemaObject;
}

/** The error body every service answers with (ErrorBody in @fapiao/contracts), for the docs. */
export const ErrorBodySchema = z.object({
  code: z.string().describe('Stable code, e.g. ORDER.NOT_FOUND'),
  message: z.string(),
  field: z.string().optional().describe('JSON path of the offending input'),
  errors: z
    .array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() }))
    .optional()
    .describe('Every problem found'),
  details: z.unknown().optional().describe('Structured context, e.g. which readiness check failed'),
  traceId: z.string().optional(),
}) satisfies z.ZodType<ErrorBody>;

export const ERROR_BODY_SCHEMA = openApiSchema(ErrorBodySchema);

/** An answer that is not a DomainError: a framework refusal or an injected fault. */
export interface HttpError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

/** Nest's own 400: a body that is not JSON, or a path id that is not a UUID (ParseUUIDPipe). */
export const REQUEST_MALFORMED: HttpError = {
  status: 400,
  code: 'REQUEST.MALFORMED',
  message: 'Validation failed (uuid is expected)',
};

/** The 422 of a ZodValidationPipe: every failing field in `errors`. */
export const requestInvalid = (code = 'REQUEST.INVALID'): HttpError => ({
  status: HTTP_STATUS_BY_KIND.validation,
  code,
  message: 'The request is invalid',
  field: 'lines[0].taxCode',
});

/** A DomainError that a route's own exception filter answers with another status (OAuth's 400s). */
export const answeredWith = (status: number, { code, message, field }: DomainError): HttpError => ({
  status,
  code,
  message,
  field,
});

/** The errors documented by @ApiErrors, read back by the OpenAPI check. */
export const API_ERRORS = 'fapiao:api-errors';
export type DocumentedErrors = { status: number; code: string }[];

const statusOf = (error: DomainError | HttpError): number =>
  isDomainError(error) ? HTTP_STATUS_BY_KIND[error.kind] : error.status;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/**
 * Documents the errors a route answers, one response per status with the error body and an example per
 * code. Pass the very DomainErrors the handler throws (any arguments), so each status is the one the
 * error filter maps its kind to.
 */
export function ApiErrors(...errors: (DomainError | HttpError)[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, (DomainError | HttpError)[]>();
  for (const error of errors)
    byStatus.set(statusOf(error), [...(byStatus.get(statusOf(error)) ?? []), error]);
  const responses = [...byStatus].map(([status, group]) =>
    ApiResponse({
      status,
      description: [...new Set(group.map((error) => error.code))].join(', '),
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: {
        'application/json': {
          schema: ERROR_BODY_SCHEMA,
          examples: Object.fromEntries(
            group.map(({ code, message, field }) => [code, { value: { code, message, field } }]),
          ),
        },
      },
    }),
  );
  const documented: DocumentedErrors = errors.map((error) => ({ status: statusOf(error), code: error.code }));
  const record = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const earlier = (Reflect.getMetadata(API_ERRORS, holder) ?? []) as DocumentedErrors;
    Reflect.defineMetadata(API_ERRORS, [...earlier, ...documented], holder);
  };
  return applyDecorators(record, ...responses);
}

/**
 * The request body, from the schema its ZodValidationPipe validates with; optional when it accepts none.
 * An example is parsed by that schema here, so a stale one fails at startup rather than misleading.
 */
export function ApiBodyFrom(schema: z.ZodType, options: { description?: string; example?: unknown } = {}) {
  if (options.example !== undefined) schema.parse(options.example);
  return ApiBody({
    schema: openApiSchema(schema, 'input'),
    required: !schema.safeParse(undefined).success,
    description: options.description,
    ...(options.example === undefined ? {} : { examples: { example: { value: options.example } } }),
  });
}

/** One query parameter per property of the schema its ZodValidationPipe validates with. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const json = openApiSchema(schema, 'input');
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property as SchemaObject;
      return ApiQuery({ name, required: required.has(name), description, schema: rest });
    }),
  );
}

/** No list endpoint answers more than this many items at once, whatever it is asked. */
export const MAX_PAGE_SIZE = 500;
/** The last page a list endpoint serves: deep offsets cost the database a scan of everything before. */
export const MAX_PAGE = 10_000;

/**
 * The `page` and `pageSize` query parameters of a list endpoint, bounded: `pageSize` 1–`maxSize` (at most
 * MAX_PAGE_SIZE), `page` 1–MAX_PAGE; anything else is a 422, never an unbounded query.
 */
export function pageQuery({
  defaultSize = 50,
  maxSize = 200,
}: { defaultSize?: number; maxSize?: number } = {}) {
  if (maxSize > MAX_PAGE_SIZE || defaultSize > maxSize) {
    throw new Error(`pageQuery: pageSize up to ${maxSize} (default ${defaultSize}) exceeds ${MAX_PAGE_SIZE}`);
  }
  return {
    page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
    pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
  };
}

/** The page every list endpoint answers (its query: `pageQuery`). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).max(MAX_PAGE_SIZE),
    total: z.number().int().describe('Every match, across pages'),
    page: z.number().int().min(1).max(MAX_PAGE),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE),
  });

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };

/** A success answer whose body is the schema's output. */
export const ApiOkFrom = (schema: z.ZodType, status = 200, description = STATUS_TEXT[status] ?? 'Success') =>
  ApiResponse({ status, description, schema: openApiSchema(schema) });
