import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { DataSource, IsNull, type QueryRunner } from 'typeorm';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';
import { KafkaProducerService } from '../kafka-producer.service';
import { outboxLag, outboxPublished } from '../metrics';
import { startPublishSpan } from '../tracing';
import { OutboxMessageEntity } from './outbox-message.entity';
import { OutboxWriter } from './outbox-writer';
import { BackgroundWorker } from '@fapiao/platform/resilience';

const PURGE_EVERY_MS = 60_000;
const LEADER_RETRY_MS = 1_000;

/**
 * Publishes committed outbox rows in id (= creation) order, in batches, and marks them sent. One relay per
 * service schema is active at a time (a MySQL named lock), so per-key order holds across replicas.
 * A crash between send and mark re-sends the batch: consumers dedupe on the message id (inbox).
 */
@Injectable()
export class OutboxRelay extends BackgroundWorker {
  private leader?: QueryRunner;
  private lastPurge = 0;
  private readonly lockName: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: KafkaProducerService,
    private readonly writer: OutboxWriter,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
  ) {
    super(OutboxRelay.name);
    this.lockName = `fapiao_outbox_${String(dataSource.options.database)}`;
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

  protected async round(): Promise<number> {
    if (!(await this.holdLeadership())) return LEADER_RETRY_MS;
    const sent = await this.drain();
    await this.purgeIfDue();
    return sent === 0 ? this.config.outboxPollIntervalMs : 0;
  }

  protected override failureBackoffMs(): number {
    return LEADER_RETRY_MS;
  }

  // Another replica takes over while this one cannot reach the database or the broker.
  protected override afterFailure(): Promise<void> {
    return this.releaseLeadership();
  }

  protected override afterStop(): Promise<void> {
    return this.releaseLeadership();
  }

  private async publishBatch(): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxMessageEntity).find({
      where: { sentAt: IsNull() },
      order: { id: 'ASC' },
      take: this.config.outboxBatchSize,
    });
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
      throw error;
    }
    spans.forEach(({ span }) => span.end());
    await this.dataSource
      .createQueryBuilder()
      .update(OutboxMessageEntity)
      .set({ sentAt: new Date() })
      .whereInIds(rows.map((row) => row.id))
      .execute();
    for (const [topic, messages] of byTopic) outboxPublished.inc({ topic }, messages.length);
    return rows.length;
  }

  private async holdLeadership(): Promise<boolean> {
    if (this.leader) {
      const [{ held }] = await this.leader.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS held', [
        this.lockName,
      ]);
      if (Number(held) === 1) return true;
      await this.releaseLeadership();
    }
    const runner = this.dataSource.createQueryRunner();
    const [{ acquired }] = await runner.query('SELECT GET_LOCK(?, 0) AS acquired', [this.lockName]);
    if (Number(acquired) === 1) {
      this.leader = runner;
      return true;
    }
    await runner.release();
    return false;
  }

  private async releaseLeadership(): Promise<void> {
    const runner = this.leader;
    this.leader = undefined;
    if (!runner) return;
    await runner.query('SELECT RELEASE_LOCK(?)', [this.lockName]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    const cutoff = new Date(Date.now() - this.config.outboxRetentionHours * 3_600_000);
    await this.dataSource.query(
      'DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT 10000',
      [cutoff],
    );
  }
}
