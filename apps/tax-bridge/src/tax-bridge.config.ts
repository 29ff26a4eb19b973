import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const TAX_BRIDGE_CONFIG = 'fapiao:config:tax-bridge';

export const taxBridgeConfig = defineConfig(
  'taxBridge',
  z.object({
    TAX_AUTHORITY_URL: env.url().default('http://127.0.0.1:3010'),
    TAX_AUTHORITY_TIMEOUT_MS: env.int(3_000, 100),
    TAX_FORWARD_CONCURRENCY: env.int(8, 1),
    TAX_FORWARD_POLL_MS: env.int(200, 10),
    TAX_FORWARD_BATCH: env.int(50, 1),
    TAX_RETRY_BASE_MS: env.int(1_000, 10),
    TAX_RETRY_CAP_MS: env.int(60_000, 100),
    TAX_LEASE_MS: env.int(30_000, 1_000),
  }),
  (e) => ({
    authorityUrl: e.TAX_AUTHORITY_URL.replace(/\/$/, ''),
    timeoutMs: e.TAX_AUTHORITY_TIMEOUT_MS,
    concurrency: e.TAX_FORWARD_CONCURRENCY,
    pollMs: e.TAX_FORWARD_POLL_MS,
    batch: e.TAX_FORWARD_BATCH,
    retryBaseMs: e.TAX_RETRY_BASE_MS,
    retryCapMs: e.TAX_RETRY_CAP_MS,
    leaseMs: e.TAX_LEASE_MS,
  }),
);

export type TaxBridgeConfig = ReturnType<typeof taxBridgeConfig.read>;
