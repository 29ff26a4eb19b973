import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const ORDER_CONFIG = 'fapiao:config:order';

export const orderConfig = defineConfig(
  'order',
  z.object({
    ORDER_IDEMPOTENCY_TTL_HOURS: env.int(48, 24),
    /** auth's in-cluster address for the tenant directory; defaults to the token issuer. */
    AUTH_INTERNAL_URL: env.url().optional(),
    AUTH_ISSUER: env.url().default('http://127.0.0.1:3001'),
    TENANT_CACHE_TTL_MS: env.int(60_000, 0),
    /** Orders accepted and not yet invoiced or rejected, beyond which intake answers 429. */
    ORDER_MAX_BACKLOG: env.int(2_000, 1),
    ORDER_BACKLOG_SAMPLE_MS: env.int(500, 50),
  }),
  (e) => ({
    idempotencyTtlHours: e.ORDER_IDEMPOTENCY_TTL_HOURS,
    authInternalUrl: (e.AUTH_INTERNAL_URL ?? e.AUTH_ISSUER).replace(/\/$/, ''),
    tenantCacheTtlMs: e.TENANT_CACHE_TTL_MS,
    maxBacklog: e.ORDER_MAX_BACKLOG,
    backlogSampleMs: e.ORDER_BACKLOG_SAMPLE_MS,
  }),
);

export type OrderConfig = ReturnType<typeof orderConfig.read>;
