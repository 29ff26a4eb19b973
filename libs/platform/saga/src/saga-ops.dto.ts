import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import { SAGA_EVENTS, SAGA_STATES, type SagaHistoryEntry, type SagaInstance } from './saga.types';

export const SagaIdSchema = z.string().min(1).max(100);

export const ListSagasQuerySchema = z.object({
  state: z.enum(SAGA_STATES).optional(),
  type: z.string().min(1).max(100).optional(),
  correlationId: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListSagasQuery = z.infer<typeof ListSagasQuerySchema>;

const Note = z.string().trim().min(1).max(2_000);
/** The body is optional: `POST …/retry` with no body is a plain retry. */
export const RetrySagaBodySchema = z.object({ note: Note.optional() }).optional();
export const ResolveSagaBodySchema = z.object({ note: Note });

export class RetrySagaBody {
  @ApiPropertyOptional({ description: 'Why the operator retries; recorded in the history', maxLength: 2000 })
  note?: string;
}

export class ResolveSagaBody {
  @ApiProperty({ description: 'What was done by hand; recorded in the history', maxLength: 2000 })
  note: string;
}

export class CompensationView {
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
}

export class SagaHistoryView {
  @ApiProperty() seq: number;
  @ApiProperty() at: string;
  @ApiPropertyOptional({ enum: SAGA_STATES, nullable: true }) fromState: string | null;
  @ApiProperty({ enum: SAGA_STATES }) toState: string;
  @ApiProperty() step: string;
  @ApiProperty({ enum: SAGA_EVENTS }) event: string;
  @ApiPropertyOptional({ nullable: true }) detail: string | null;

  static from(entry: SagaHistoryEntry): SagaHistoryView {
    return { ...entry, at: entry.at.toISOString() };
  }
}

export class SagaView {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty() correlationId: string;
  @ApiProperty({ enum: SAGA_STATES }) state: string;
  @ApiProperty() step: string;
  @ApiProperty({ description: 'The saga data (JSON)' }) data: unknown;
  @ApiPropertyOptional({
    nullable: true,
    description: 'RUNNING: step deadline; COMPENSATING: when the next compensation attempt is due',
  })
  deadlineAt: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() version: number;
  @ApiProperty({ type: [CompensationView], description: 'Compensation stack; the last one runs first' })
  compensations: CompensationView[];
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional({ nullable: true }) completedAt: string | null;

  static from(saga: SagaInstance): SagaView {
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
  }
}

export class SagaDetailView extends SagaView {
  @ApiProperty({ type: [SagaHistoryView], description: 'Every transition, oldest first' })
  history: SagaHistoryView[];

  static withHistory(saga: SagaInstance, history: SagaHistoryEntry[]): SagaDetailView {
    return { ...SagaView.from(saga), history: history.map((entry) => SagaHistoryView.from(entry)) };
  }
}

export class SagaPageView {
  @ApiProperty({ type: [SagaView] }) items: SagaView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
