import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** The OpenAPI form of a contract schema, so /docs shows exactly what the zod contract accepts and returns. */
export function openApi(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    reused: 'inline',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return json as SchemaObject;
}

/** The platform's error body (ErrorBody in @fapiao/contracts). */
export const ERROR_BODY_SCHEMA: SchemaObject = openApi(
  z.object({
    code: z.string().describe('Stable code, e.g. SIM.MAINTENANCE'),
    message: z.string(),
    field: z.string().optional().describe('JSON path of the offending input'),
    errors: z
      .array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() }))
      .optional()
      .describe('Every problem found'),
    traceId: z.string().optional(),
  }),
);
