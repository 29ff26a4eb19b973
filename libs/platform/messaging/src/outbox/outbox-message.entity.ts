import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message committed in the same transaction as the business change; the relay publishes it. */
@Entity('outbox_messages')
@Index('idx_outbox_unsent', ['sentAt', 'id'])
export class OutboxMessageEntity {
  /** The event id (UUIDv7): time-ordered, so ordering by id is publication order. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  topic: string;

  @Column({ name: 'message_key', type: 'varchar', length: 200 })
  messageKey: string;

  @Column({ type: 'longtext' })
  value: string;

  @Column({ type: 'simple-json' })
  headers: Record<string, string>;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;
}
