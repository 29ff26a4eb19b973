import { z } from 'zod';
import { pageOf } from '@fapiao/platform/http';
import { SAGA_EVENTS, SAGA_STATES, type SagaHistoryEntry, type SagaInstance } from './saga.types';

export const SagaIdSchema = z.string().min(1).max(100);

/** Which tenant an operator acts on: the platform administrator names one; a tenant's client may omit it. */
export const OperatedTenantQuerySchema = z.object({
  tenantId: z
    .uuid()
    .optional()
    .describe("Platform administrator only (a tenant's client: its own or omitted)"),
});
export type OperatedTenantQuery = z.infer<typeof OperatedTenantQuerySchema>;

export const ListSagasQuerySchema = OperatedTenantQuerySchema.extend({
  state: z.enum(SAGA_STATES).optional(),
  type: z.string().min(1).max(100).optional(),
  correlationId: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListSagasQuery = z.infer<typeof ListSagasQuerySchema>;

const Note = z.string().trim().min(1).max(2_000);
/** The body is optional: `POST …/retry` with no body is a plain retry. */
export const RetrySagaBodySchema = z
  .object({ note: Note.optional().describe('Why the operator retries; recorded in the history') })
  .optional();
export type RetrySagaBody = z.infer<typeof RetrySagaBodySchema>;
export const ResolveSagaBodySchema = z.object({
  note: Note.describe('What was done by hand; recorded in the history'),
});
export type ResolveSagaBody = z.infer<typeof ResolveSagaBodySchema>;

const SagaHistoryViewSchema = z.object({
  seq: z.number().int(),
  at: z.iso.datetime(),
  fromState: z.enum(SAGA_STATES).nullable(),
  toState: z.enum(SAGA_STATES),
  step: z.string(),
  event: z.enum(SAGA_EVENTS),
  detail: z.string().nullable(),
});

export const SagaViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  correlationId: z.string(),
  state: z.enum(SAGA_STATES),
  step: z.string(),
  data: z.unknown().describe('The saga data (JSON)'),
  deadlineAt: z.iso
    .datetime()
    .nullable()
    .describe('RUNNING: step deadline; COMPENSATING: when the next compensation attempt is due'),
  attempts: z.number().int(),
  version: z.number().int(),
  compensations: z
    .array(z.object({ name: z.string(), payload: z.record(z.string(), z.unknown()) }))
    .describe('Compensation stack; the last one runs first'),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export type SagaView = z.infer<typeof SagaViewSchema>;

export const SagaView = {
  from(saga: SagaInstance): SagaView {
    return {
      id: saga.id,
      type: saga.type,
      correlationId: saga.correlationId,
      state: saga.state,
      step: saga.step,
      data: saga.data,
      deadlineAt: saga.deadlineAt?.toISOString() ?? null,
      attempts: saga.attempts,
      version: saga.version,
      compensations: [...saga.compensations],
      lastError: saga.lastError,
      createdAt: saga.createdAt.toISOString(),
      updatedAt: saga.updatedAt.toISOString(),
      completedAt: saga.completedAt?.toISOString() ?? null,
    };
  },
};

export const SagaDetailViewSchema = SagaViewSchema.extend({
  history: z.array(SagaHistoryViewSchema).describe('Every transition, oldest first'),
});
export type SagaDetailView = z.infer<typeof SagaDetailViewSchema>;

export const SagaDetailView = {
  withHistory(saga: SagaInstance, history: SagaHistoryEntry[]): SagaDetailView {
    return {
      ...SagaView.from(saga),
      history: history.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
    };
  },
};

export const SagaPageSchema = pageOf(SagaViewSchema);
export type SagaPage = z.infer<typeof SagaPageSchema>;
