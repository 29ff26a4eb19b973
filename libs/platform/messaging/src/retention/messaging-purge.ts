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
  help: 'Outbox rows (sent) and inbox rows deleted after their retention',
  labelNames: ['table'],
});

/**
 * Keeps the outbox and the inbox bounded at any rate: sent outbox rows older than OUTBOX_RETENTION_HOURS
 * and inbox rows older than INBOX_RETENTION_HOURS (longer than any redelivery can come late) are deleted
 * in chunks, back to back while a chunk comes back full, by one replica at a time.
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
    const { outbox, inbox } = await this.purgeOnce();
    return outbox === CHUNK || inbox === CHUNK ? 0 : IDLE_MS;
  }

  /** One chunk of each table; returns how many rows went. Tests call it directly. */
  async purgeOnce(): Promise<{ outbox: number; inbox: number }> {
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
    return { outbox, inbox };
  }

  private async delete(table: string, sql: string, before: Date): Promise<number> {
    const result = (await this.dataSource.query(sql, [before, CHUNK])) as { affectedRows?: number };
    const deleted = result.affectedRows ?? 0;
    if (deleted > 0) purgedRows.inc({ table }, deleted);
    return deleted;
  }
}
