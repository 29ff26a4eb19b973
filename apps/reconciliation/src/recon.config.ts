import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const RECON_CONFIG = 'fapiao:config:reconciliation';

export const reconConfig = defineConfig(
  'reconciliation',
  z.object({
    RECON_STALE_AFTER_MS: env.int(10 * 60_000, 1_000),
    RECON_SWEEP_INTERVAL_MS: env.int(30_000, 100),
  }),
  (e) => ({ staleAfterMs: e.RECON_STALE_AFTER_MS, sweepIntervalMs: e.RECON_SWEEP_INTERVAL_MS }),
);

export type ReconConfig = ReturnType<typeof reconConfig.read>;
