import { z } from 'zod';
import { AUTHORITY_BATCH_MAX_ITEMS } from '@fapiao/contracts';
import { defineConfig, env } from '@fapiao/platform/config';
import { parseMaintenanceDays } from '@fapiao/invoice-domain';

export const TAX_BRIDGE_CONFIG = 'fapiao:config:tax-bridge';

export const taxBridgeConfig = defineConfig(
  'taxBridge',
  z
    .object({
      TAX_AUTHORITY_URL: env.url().default('http://127.0.0.1:3010'),
      TAX_AUTHORITY_TIMEOUT_MS: env.int(3_000, 100),
      TAX_FORWARD_CONCURRENCY: env.int(8, 1),
      TAX_FORWARD_POLL_MS: env.int(200, 10),
      TAX_FORWARD_BATCH: env.int(50, 1),
      /** Never-sent issues sent together in one batch upload; 1 = one request per invoice. */
      TAX_FORWARD_BATCH_MAX: z.coerce.number().int().min(1).max(AUTHORITY_BATCH_MAX_ITEMS).default(50),
      TAX_RETRY_BASE_MS: env.int(1_000, 10),
      TAX_RETRY_CAP_MS: env.int(60_000, 100),
      TAX_RETRY_MAX_ATTEMPTS: env.int(2, 0),
      TAX_LEASE_MS: env.int(30_000, 1_000),
      TAX_CIRCUIT_FAILURE_RATIO: z.coerce.number().gt(0).lt(1).default(0.5),
      TAX_CIRCUIT_SAMPLE_MS: env.int(10_000, 1_000),
      TAX_CIRCUIT_MIN_RPS: z.coerce.number().gt(0).default(1),
      TAX_CIRCUIT_HALF_OPEN_MS: env.int(10_000, 100),
      TAX_RATE_LIMIT_PER_SECOND: env.int(100, 1),
      TAX_CERTIFICATE_PAUSE_MS: env.int(60_000, 1_000),
      TAX_FORM_POLL_MS: env.int(60_000, 100),
      TAX_FORM_POLL_MAX_MS: env.int(3_600_000, 100),
      TAX_MAINTENANCE_ENABLED: env.bool(true),
      TAX_MAINTENANCE_DAYS: z
        .string()
        .default('25-27')
        .transform((text, ctx) => {
          const parsed = parseMaintenanceDays(text);
          if (parsed.ok) return parsed.days;
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }),
    })
    .superRefine((e, ctx) => {
      if (e.TAX_FORM_POLL_MAX_MS < e.TAX_FORM_POLL_MS)
        ctx.addIssue({
          code: 'custom',
          path: ['TAX_FORM_POLL_MAX_MS'],
          message: `must be at least TAX_FORM_POLL_MS (${e.TAX_FORM_POLL_MS})`,
        });
    }),
  (e) => ({
    authorityUrl: e.TAX_AUTHORITY_URL.replace(/\/$/, ''),
    timeoutMs: e.TAX_AUTHORITY_TIMEOUT_MS,
    concurrency: e.TAX_FORWARD_CONCURRENCY,
    pollMs: e.TAX_FORWARD_POLL_MS,
    batch: e.TAX_FORWARD_BATCH,
    batchMax: e.TAX_FORWARD_BATCH_MAX,
    retryBaseMs: e.TAX_RETRY_BASE_MS,
    retryCapMs: e.TAX_RETRY_CAP_MS,
    retryMaxAttempts: e.TAX_RETRY_MAX_ATTEMPTS,
    leaseMs: e.TAX_LEASE_MS,
    circuit: {
      failureRatio: e.TAX_CIRCUIT_FAILURE_RATIO,
      sampleMs: e.TAX_CIRCUIT_SAMPLE_MS,
      minimumRps: e.TAX_CIRCUIT_MIN_RPS,
      halfOpenAfterMs: e.TAX_CIRCUIT_HALF_OPEN_MS,
    },
    rateLimitPerSecond: e.TAX_RATE_LIMIT_PER_SECOND,
    certificatePauseMs: e.TAX_CERTIFICATE_PAUSE_MS,
    /** A confirmation form awaiting the buyer is looked at again after these bounds (nextFormCheckAt). */
    formPoll: { minMs: e.TAX_FORM_POLL_MS, maxMs: e.TAX_FORM_POLL_MAX_MS },
    maintenance: { enabled: e.TAX_MAINTENANCE_ENABLED, days: e.TAX_MAINTENANCE_DAYS },
  }),
);

export type TaxBridgeConfig = ReturnType<typeof taxBridgeConfig.read>;
