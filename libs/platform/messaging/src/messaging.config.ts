import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const MESSAGING_CONFIG = 'fapiao:config:messaging';

export const messagingConfig = defineConfig(
  'messaging',
  z.object({
    OUTBOX_POLL_INTERVAL_MS: env.int(200, 5),
    OUTBOX_BATCH_SIZE: env.int(500, 1),
    OUTBOX_RETENTION_HOURS: env.int(24, 1),
    CONSUMER_PARTITIONS_CONCURRENCY: env.int(3, 1),
    CONSUMER_LOCAL_RETRIES: env.int(3, 0),
    CONSUMER_RETRY_ROUNDS: env.int(5, 0),
    CONSUMER_RETRY_DELAY_MS: env.int(1_000, 0),
    CONSUMER_SESSION_TIMEOUT_MS: env.int(10_000, 3_000),
    CONSUMER_MAX_WAIT_MS: env.int(250, 10),
  }),
  (e) => ({
    outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
    outboxBatchSize: e.OUTBOX_BATCH_SIZE,
    outboxRetentionHours: e.OUTBOX_RETENTION_HOURS,
    partitionsConcurrency: e.CONSUMER_PARTITIONS_CONCURRENCY,
    localRetries: e.CONSUMER_LOCAL_RETRIES,
    retryRounds: e.CONSUMER_RETRY_ROUNDS,
    retryDelayMs: e.CONSUMER_RETRY_DELAY_MS,
    sessionTimeoutMs: e.CONSUMER_SESSION_TIMEOUT_MS,
    maxWaitMs: e.CONSUMER_MAX_WAIT_MS,
  }),
);

export type MessagingConfig = ReturnType<typeof messagingConfig.read>;
