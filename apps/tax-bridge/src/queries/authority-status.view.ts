import { z } from 'zod';
import { PAUSE_REASONS } from '../domain/authority-outcome';

/** How tax-bridge sees the authority: circuit, pause, queue and the maintenance calendar. */
export const AuthorityStatusViewSchema = z.object({
  circuit: z.object({
    state: z.enum(['closed', 'half-open', 'open']),
    openedAt: z.iso.datetime().nullable().describe('When the circuit last opened (while not closed)'),
  }),
  paused: z
    .object({
      reason: z.enum(PAUSE_REASONS),
      until: z.iso.datetime().describe('Nothing is sent to the authority before this instant'),
      message: z.string(),
    })
    .nullable(),
  queue: z.object({
    depth: z.number().int().describe('Submissions not yet definitely answered'),
    unknown: z.number().int().describe('Of those, sent with an unknown outcome (to be queried by serial)'),
    oldestQueuedAgeSeconds: z.number().int().nullable(),
    awaitingConfirmation: z
      .number()
      .int()
      .describe('Reversals whose confirmation form waits for the buyer (not counted in depth)'),
  }),
  nextMaintenanceWindow: z
    .object({ start: z.iso.datetime(), end: z.iso.datetime() })
    .nullable()
    .describe('The current or next maintenance window of the calendar (null when it is off)'),
  lastError: z.object({ at: z.iso.datetime(), message: z.string() }).nullable(),
  lastSuccessAt: z.iso.datetime().nullable(),
});
export type AuthorityStatusView = z.infer<typeof AuthorityStatusViewSchema>;
