import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const SAGA_CONFIG = 'fapiao:config:saga';

export const sagaConfig = defineConfig(
  'saga',
  z
    .object({
      SAGA_SWEEP_INTERVAL_MS: env.int(1_000, 10),
      SAGA_SWEEP_BATCH_SIZE: env.int(100, 1),
      SAGA_MAX_STEP_ATTEMPTS: env.int(5, 1),
      SAGA_MAX_COMPENSATION_ATTEMPTS: env.int(10, 1),
      SAGA_BACKOFF_BASE_MS: env.int(1_000, 1),
      SAGA_BACKOFF_CAP_MS: env.int(300_000, 1),
    })
    .refine((e) => e.SAGA_BACKOFF_CAP_MS >= e.SAGA_BACKOFF_BASE_MS, {
      path: ['SAGA_BACKOFF_CAP_MS'],
      message: 'must not be below SAGA_BACKOFF_BASE_MS',
    }),
  (e) => ({
    sweepIntervalMs: e.SAGA_SWEEP_INTERVAL_MS,
    /** Sagas of each kind (compensating, timed out) one sweep handles at most. */
    sweepBatchSize: e.SAGA_SWEEP_BATCH_SIZE,
    maxStepAttempts: e.SAGA_MAX_STEP_ATTEMPTS,
    maxCompensationAttempts: e.SAGA_MAX_COMPENSATION_ATTEMPTS,
    backoff: { baseMs: e.SAGA_BACKOFF_BASE_MS, capMs: e.SAGA_BACKOFF_CAP_MS },
  }),
);

export type SagaConfig = ReturnType<typeof sagaConfig.read>;
export type BackoffPolicy = SagaConfig['backoff'];
