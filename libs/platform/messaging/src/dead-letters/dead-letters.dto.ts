import { z } from 'zod';
import { TOPICS, type BaseTopic } from '@fapiao/contracts';
import { pageOf, pageQuery } from '@fapiao/platform/http';
import {
  DEAD_LETTER_STATES,
  type DeadLetterEntity,
  type DeadLetterRedriveEntity,
} from './dead-letter.entity';
import { maskPersonalData } from './dead-letter.model';

/** The most dead letters one redrive sends: its outbox rows and audit record are one transaction. */
export const MAX_REDRIVE = 500;

export const DeadLetterIdSchema = z.uuid();

/** What selects dead letters, for listing and for redriving. */
const FilterShape = {
  topic: z
    .enum(Object.values(TOPICS) as [BaseTopic, ...BaseTopic[]])
    .optional()
    .describe('The base topic (its `.retry` deliveries included)'),
  errorCode: z.string().min(1).max(100).optional().meta({ example: 'TENANT.UNKNOWN' }),
  tenantId: z
    .string()
    .min(1)
    .max(36)
    .optional()
    .describe("The envelope's tenant. Without platform:admin only your own tenant (the default)."),
  from: z.iso.datetime({ offset: true }).optional().describe('Dead-lettered at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Dead-lettered before'),
};

export const ListDeadLettersQuerySchema = z.object({
  ...FilterShape,
  state: z.enum([...DEAD_LETTER_STATES, 'all']).default('DEAD'),
  ...pageQuery({ defaultSize: 50, maxSize: 200 }),
});
export type ListDeadLettersQuery = z.infer<typeof ListDeadLettersQuerySchema>;

export const RedriveBodySchema = z.object({
  ...FilterShape,
  ids: z
    .array(DeadLetterIdSchema)
    .min(1)
    .max(MAX_REDRIVE)
    .optional()
    .describe('Only these dead letters (still with the other filters)'),
  dryRun: z.boolean().default(false).describe('Answer what would be redriven; change nothing'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_REDRIVE)
    .default(100)
    .describe(`At most this many, oldest first (hard maximum ${MAX_REDRIVE})`),
});
export type RedriveBody = z.infer<typeof RedriveBodySchema>;

export const DeadLetterViewSchema = z.object({
  id: z.uuid(),
  consumerGroup: z.string(),
  topic: z.string(),
  sourceTopic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  messageId: z.string().nullable().describe('The envelope id; null when the value is no valid envelope'),
  messageType: z.string().nullable(),
  tenantId: z.string().nullable(),
  key: z.string().nullable(),
  errorCode: z.string(),
  errorReason: z.string(),
  deadLetteredAt: z.iso.datetime(),
  state: z.enum(DEAD_LETTER_STATES),
  redriveId: z.string().nullable(),
  redrivenAt: z.iso.datetime().nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterViewSchema>;

export const DeadLetterView = {
  from(row: DeadLetterEntity): DeadLetterView {
    return {
      id: row.id,
      consumerGroup: row.consumerGroup,
      topic: row.topic,
      sourceTopic: row.sourceTopic,
      partition: row.sourcePartition,
      offset: String(row.sourceOffset),
      messageId: row.messageId,
      messageType: row.messageType,
      tenantId: row.tenantId,
      key: row.messageKey,
      errorCode: row.errorCode,
      errorReason: row.errorReason,
      deadLetteredAt: row.deadLetteredAt.toISOString(),
      state: row.state,
      redriveId: row.redriveId,
      redrivenAt: row.redrivenAt?.toISOString() ?? null,
    };
  },
};

export const RedriveViewSchema = z.object({
  id: z.uuid(),
  clientId: z.string(),
  clientTenantId: z.string(),
  filter: z.record(z.string(), z.unknown()),
  deadLetterIds: z.array(z.string()),
  messageIds: z.array(z.string()),
  count: z.number().int(),
  redrivenAt: z.iso.datetime(),
});
export type RedriveView = z.infer<typeof RedriveViewSchema>;

export const RedriveView = {
  from(row: DeadLetterRedriveEntity): RedriveView {
    return {
      id: row.id,
      clientId: row.clientId,
      clientTenantId: row.clientTenantId,
      filter: row.filter,
      deadLetterIds: row.deadLetterIds,
      messageIds: row.messageIds,
      count: row.count,
      redrivenAt: row.redrivenAt.toISOString(),
    };
  },
};

export const DeadLetterDetailViewSchema = DeadLetterViewSchema.extend({
  headers: z.record(z.string(), z.string()),
  envelope: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The message, personal data (buyer, tax ids, contact data) masked; null if not a JSON object'),
  redrive: RedriveViewSchema.nullable().describe('Who redrove it, when, with which filter'),
});
export type DeadLetterDetailView = z.infer<typeof DeadLetterDetailViewSchema>;

export const DeadLetterDetailView = {
  from(row: DeadLetterEntity, redrive: DeadLetterRedriveEntity | null): DeadLetterDetailView {
    let envelope: Record<string, unknown> | null = null;
    try {
      const json: unknown = JSON.parse(row.value);
      if (json !== null && typeof json === 'object' && !Array.isArray(json))
        envelope = maskPersonalData(json) as Record<string, unknown>;
    } catch {
      envelope = null; // not JSON: shown by its headers and reason only
    }
    return {
      ...DeadLetterView.from(row),
      headers: row.headers,
      envelope,
      redrive: redrive && RedriveView.from(redrive),
    };
  },
};

export const DeadLetterPageSchema = pageOf(DeadLetterViewSchema);
export type DeadLetterPage = z.infer<typeof DeadLetterPageSchema>;

export const ListRedrivesQuerySchema = z.object({ ...pageQuery({ defaultSize: 50, maxSize: 200 }) });
export type ListRedrivesQuery = z.infer<typeof ListRedrivesQuerySchema>;
export const RedrivePageSchema = pageOf(RedriveViewSchema);
export type RedrivePage = z.infer<typeof RedrivePageSchema>;

export const RedriveResultSchema = z.object({
  dryRun: z.boolean(),
  redriveId: z.uuid().nullable().describe('The audit record; null for a dry run or when nothing matched'),
  count: z.number().int().describe('Redriven (or, in a dry run, that would be)'),
  items: z.array(DeadLetterViewSchema).max(MAX_REDRIVE),
});
export type RedriveResult = z.infer<typeof RedriveResultSchema>;
