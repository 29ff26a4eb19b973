import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const ORDER_CONFIG = 'fapiao:config:order';

export const orderConfig = defineConfig(
  'order',
  z.object({
    ORDER_IDEMPOTENCY_TTL_HOURS: env.int(48, 24),
    /** Orders accepted and not yet invoiced or rejected, beyond which intake answers 429. */
    ORDER_MAX_BACKLOG: env.int(2_000, 1),
    ORDER_BACKLOG_SAMPLE_MS: env.int(500, 50),
    /** How long a new order may expect to queue for its transaction; beyond it intake answers 429. */
    ORDER_MAX_INTAKE_WAIT_MS: env.int(200, 10),
  }),
  (e) => ({
    idempotencyTtlHours: e.ORDER_IDEMPOTENCY_TTL_HOURS,
    maxBacklog: e.ORDER_MAX_BACKLOG,
    backlogSampleMs: e.ORDER_BACKLOG_SAMPLE_MS,
    maxIntakeWaitMs: e.ORDER_MAX_INTAKE_WAIT_MS,
  }),
);

export type OrderConfig = ReturnType<typeof orderConfig.read>;
