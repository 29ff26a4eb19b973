import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ids of messages whose effects are committed, per consumer group: a redelivery is skipped. */
@Entity('inbox_messages')
export class InboxMessageEntity {
  @PrimaryColumn({ name: 'consumer_group', type: 'varchar', length: 200 })
  consumerGroup: string;

  @PrimaryColumn({ name: 'message_id', type: 'char', length: 36 })
  messageId: string;

  @Column({ type: 'varchar', length: 200 })
  topic: string;

  @Column({ name: 'processed_at', type: 'datetime', precision: 3 })
  processedAt: Date;
}
