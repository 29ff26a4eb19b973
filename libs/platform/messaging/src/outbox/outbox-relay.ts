import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { deadLetterTopic, HEADERS, type BaseTopic } from '@fapiao/contracts';
import { LeaderLock, selectRows, updateRows } from '@fapiao/platform/persistence';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';
import { KafkaProducerService } from '../kafka-producer.service';
import { outboxDeadLettered, outboxLag, outboxPublished } from '../metrics';
import { startPublishSpan } from '../tracing';
import { OutboxMessageEntity } from './outbox-message.entity';
import { OutboxWriter } from './outbox-writer';
import { BackgroundWorker } from '@fapiao/platform/resilience';

/**
 * Publishes committed outbox rows in id (= creation) order, in batches, and marks them sent. One relay per
 * service schema is active at a time (a leader lock), so per-key order holds across replicas.
 * A crash between send and mark re-sends the batch: consumers dedupe on the message id (inbox).
 */
@Injectable()
export class OutboxRelay extends BackgroundWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: KafkaProducerService,
    private readonly writer: OutboxWriter,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
  ) {
    super(
      OutboxRelay.name,
      new LeaderLock(dataSource, `fapiao_outbox_${String(dataSource.options.database)}`),
    );
    this.writer.onCommitted(() => this.wake());
  }

  /** Publishes everything pending now; returns how many were sent. Also used by tests. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent < this.config.outboxBatchSize) return total;
    }
  }

  /** Drained: a commit during the round has woken the next one already (no empty poll to catch it). */
  protected async round(): Promise<number> {
    await this.drain();
    return this.config.outboxPollIntervalMs;
  }

  private async publishBatch(): Promise<number> {
    const rows = await selectRows(
      this.dataSource.manager,
      OutboxMessageEntity,
      'SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT ?',
      [this.config.outboxBatchSize],
    );
    const oldest = rows[0];
    outboxLag.set(oldest ? (Date.now() - oldest.createdAt.getTime()) / 1000 : 0);
    if (!oldest) return 0;

    const spans = rows.map((row) => startPublishSpan(row.topic, row.messageKey, row.id, row.headers));
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    rows.forEach((row, index) => {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.messageKey, value: row.value, headers: spans[index].headers });
      byTopic.set(row.topic, messages);
    });
    try {
      await this.producer.sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    } catch (error) {
      for (const { span } of spans) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        span.end();
      }
      if (!refusedAsTooLarge(error)) throw error;
      // One record (or the batch as a whole) is over the broker's limit: send one by one, in order, so the
      // rows that fit go out and only a row refused on its own is dead-lettered.
      return this.publishOneByOne(rows);
    }
    spans.forEach(({ span }) => span.end());
    await this.markSent(rows);
    for (const [topic, messages] of byTopic) outboxPublished.inc({ topic }, messages.length);
    return rows.length;
  }

  private async publishOneByOne(rows: OutboxMessageEntity[]): Promise<number> {
    for (const row of rows) {
      const { span, headers } = startPublishSpan(row.topic, row.messageKey, row.id, row.headers);
      try {
        await this.producer.sendBatch([
          { topic: row.topic, messages: [{ key: row.messageKey, value: row.value, headers }] },
        ]);
        outboxPublished.inc({ topic: row.topic });
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        if (!refusedAsTooLarge(error)) {
          span.end();
          throw error;
        }
        await this.deadLetterTooLarge(row, headers);
      }
      span.end();
      await this.markSent([row]);
    }
    return rows.length;
  }

  /**
   * The broker refuses the message itself, so what goes to `.dlq` is its envelope without the payload; the
   * full row stays in outbox_messages (marked sent) until the outbox retention purges it.
   */
  private async deadLetterTooLarge(row: OutboxMessageEntity, headers: Record<string, string>): Promise<void> {
    const envelope = JSON.parse(row.value) as Record<string, unknown>;
    const bytes = Buffer.byteLength(row.value);
    const reason = `the broker refused ${bytes} bytes as too large; payload kept in outbox_messages ${row.id} for ${this.config.outboxRetentionHours} h`;
    this.logger.error(`${row.topic} ${row.id}: ${reason}`);
    await this.producer.sendBatch([
      {
        topic: deadLetterTopic(row.topic as BaseTopic),
        messages: [
          {
            key: row.messageKey,
            value: JSON.stringify({ ...envelope, payload: null, payloadBytes: bytes }),
            headers: {
              ...headers,
              [HEADERS.errorCode]: 'MESSAGE.TOO_LARGE',
              [HEADERS.error]: reason,
              [HEADERS.originalTopic]: row.topic,
            },
          },
        ],
      },
    ]);
    outboxDeadLettered.inc({ topic: row.topic });
  }

  private async markSent(rows: OutboxMessageEntity[]): Promise<void> {
    await updateRows(this.dataSource.manager, OutboxMessageEntity, { sentAt: new Date() }, 'id IN (?)', [
      rows.map((row) => row.id),
    ]);
  }
}

/** kafkajs hands a non-retriable produce error back wrapped; the broker's code is on the cause. */
function refusedAsTooLarge(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as Error & { type?: string }).type === 'MESSAGE_TOO_LARGE') return true;
  }
  return false;
}
