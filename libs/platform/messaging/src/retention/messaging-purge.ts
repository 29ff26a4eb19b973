import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { LeaderLock } from '@fapiao/platform/persistence';
import { BackgroundWorker, Clock } from '@fapiao/platform/resilience';
import { MESSAGING_CONFIG, type MessagingConfig } from '../messaging.config';

/** Rows per DELETE: short statements that never hold many locks, repeated until nothing is due. */
const CHUNK = 5_000;
const IDLE_MS = 30_000;
const HOUR_MS = 3_600_000;

const purgedRows = new Counter({
  name: 'fapiao_messaging_purged_rows_total',
  help: 'Outbox rows (sent), inbox rows and recorded dead letters deleted after their retention',
  labelNames: ['table'],
});

/**
 * Keeps the outbox, the inbox and the dead-letter record bounded at any rate: sent outbox rows older than
 * OUTBOX_RETENTION_HOURS, inbox rows older than INBOX_RETENTION_HOURS (longer than any redelivery can come
 * late) and dead letters older than DEAD_LETTER_RETENTION_HOURS (their .dlq copy is gone by then too) are
 * deleted in chunks, back to back while a chunk comes back full, by one replica at a time.
 */
@Injectable()
export class MessagingPurge extends BackgroundWorker {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
    private readonly clock: Clock,
  ) {
    super(
      MessagingPurge.name,
      new LeaderLock(dataSource, `fapiao_purge_${String(dataSource.options.database)}`),
    );
  }

  protected async round(): Promise<number> {
    const purged = await this.purgeOnce();
    return Object.values(purged).some((rows) => rows === CHUNK) ? 0 : IDLE_MS;
  }

  /** One chunk of each table; returns how many rows went. Tests call it directly. */
  async purgeOnce(): Promise<{ outbox: number; inbox: number; deadLetters: number }> {
    const now = this.clock.now().getTime();
    const outbox = await this.delete(
      'outbox_messages',
      'DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?',
      new Date(now - this.config.outboxRetentionHours * HOUR_MS),
    );
    const inbox = await this.delete(
      'inbox_messages',
      'DELETE FROM inbox_messages WHERE processed_at < ? LIMIT ?',
      new Date(now - this.config.inboxRetentionHours * HOUR_MS),
    );
    const deadLetters = await this.delete(
      'dead_letters',
      // By state first: the (state, dead_lettered_at) index serves the range.
      "DELETE FROM dead_letters WHERE state IN ('DEAD', 'REDRIVEN') AND dead_lettered_at < ? LIMIT ?",
      new Date(now - this.config.deadLetterRetentionHours * HOUR_MS),
    );
    return { outbox, inbox, deadLetters };
  }

  private async delete(table: string, sql: string, before: Date): Promise<number> {
    const result = (await this.dataSource.query(sql, [before, CHUNK])) as { affectedRows?: number };
    const deleted = result.affectedRows ?? 0;
    if (deleted > 0) purgedRows.inc({ table }, deleted);
    return deleted;
  }
}
