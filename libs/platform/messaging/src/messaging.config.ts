import { z } from 'zod';
import { defineConfig, env } from '@fapiao/platform/config';

export const MESSAGING_CONFIG = 'fapiao:config:messaging';

export const messagingConfig = defineConfig(
  'messaging',
  z.object({
    OUTBOX_POLL_INTERVAL_MS: env.int(200, 5),
    OUTBOX_BATCH_SIZE: env.int(500, 1),
    // Below the broker's default message.max.bytes (1,048,588) with room for headers and batch framing.
    OUTBOX_MAX_MESSAGE_BYTES: env.int(1_000_000, 1_024),
    OUTBOX_RETENTION_HOURS: env.int(24, 1),
    INBOX_RETENTION_HOURS: env.int(168, 1),
    // As long as the chart keeps a .dlq topic's messages (kafka.topics.deadLetterRetentionHours).
    DEAD_LETTER_RETENTION_HOURS: env.int(720, 1),
    // As many as a topic's partitions (KAFKA_TOPIC_PARTITIONS): a fetch's batches are then taken at once.
    CONSUMER_PARTITIONS_CONCURRENCY: env.int(6, 1),
    CONSUMER_BATCH_MAX: env.int(100, 1),
    CONSUMER_LOCAL_RETRIES: env.int(3, 0),
    CONSUMER_RETRY_ROUNDS: env.int(5, 0),
    CONSUMER_RETRY_DELAY_MS: env.int(1_000, 0),
    CONSUMER_SESSION_TIMEOUT_MS: env.int(10_000, 3_000),
    // The broker answers a fetch as soon as data arrives: a long wait costs no latency, only idle polling.
    CONSUMER_MAX_WAIT_MS: env.int(1_000, 10),
    // An OffsetCommit per batch costs the broker what a produce does; a crash redelivers this much at most.
    CONSUMER_COMMIT_INTERVAL_MS: env.int(1_000, 0),
  }),
  (e) => ({
    outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
    outboxBatchSize: e.OUTBOX_BATCH_SIZE,
    /** An envelope larger than this is refused when written, so nothing is accepted that Kafka would refuse. */
    outboxMaxMessageBytes: e.OUTBOX_MAX_MESSAGE_BYTES,
    outboxRetentionHours: e.OUTBOX_RETENTION_HOURS,
    inboxRetentionHours: e.INBOX_RETENTION_HOURS,
    deadLetterRetentionHours: e.DEAD_LETTER_RETENTION_HOURS,
    /** Partition batches of a fetch taken at once: their chunks are handled together (ChunkGatherer). */
    partitionsConcurrency: e.CONSUMER_PARTITIONS_CONCURRENCY,
    /** Messages handled in one unit of work (one or more partitions' chunks); 1 handles each alone. */
    batchMax: e.CONSUMER_BATCH_MAX,
    localRetries: e.CONSUMER_LOCAL_RETRIES,
    retryRounds: e.CONSUMER_RETRY_ROUNDS,
    retryDelayMs: e.CONSUMER_RETRY_DELAY_MS,
    sessionTimeoutMs: e.CONSUMER_SESSION_TIMEOUT_MS,
    maxWaitMs: e.CONSUMER_MAX_WAIT_MS,
    /** Handled offsets are committed at most this often (and when the consumer stops); 0: after every batch. */
    commitIntervalMs: e.CONSUMER_COMMIT_INTERVAL_MS,
  }),
);

export type MessagingConfig = ReturnType<typeof messagingConfig.read>;
