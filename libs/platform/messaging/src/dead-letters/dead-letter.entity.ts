import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DEAD_LETTER_STATES = ['DEAD', 'REDRIVEN'] as const;
export type DeadLetterState = (typeof DEAD_LETTER_STATES)[number];

/**
 * A message this service's consumer dead-lettered, recorded when it wrote it to `<topic>.dlq`: what operators
 * list, inspect and redrive without reading Kafka. One row per failed delivery (group, topic, partition,
 * offset), so a dead-lettering repeated after a crash records it once.
 */
@Entity('dead_letters')
@Index('uq_dead_letters_delivery', ['consumerGroup', 'sourceTopic', 'sourcePartition', 'sourceOffset'], {
  unique: true,
})
@Index('idx_dead_letters_state', ['state', 'deadLetteredAt'])
@Index('idx_dead_letters_tenant', ['tenantId', 'state', 'deadLetteredAt'])
export class DeadLetterEntity {
  /** UUIDv7: time-ordered, so ordering by id is dead-lettering order. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'consumer_group', type: 'varchar', length: 200 })
  consumerGroup: string;

  /** The base topic it belongs to (what `.retry` and `.dlq` are companions of). */
  @Column({ type: 'varchar', length: 200 })
  topic: string;

  /** Where the failed delivery was read: the base topic or its `.retry`. */
  @Column({ name: 'source_topic', type: 'varchar', length: 200 })
  sourceTopic: string;

  @Column({ name: 'source_partition', type: 'int' })
  sourcePartition: number;

  @Column({ name: 'source_offset', type: 'bigint' })
  sourceOffset: string;

  /** The envelope's id, type and tenant: null when the value is no valid envelope. */
  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true })
  messageId: string | null;

  @Column({ name: 'message_type', type: 'varchar', length: 100, nullable: true })
  messageType: string | null;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId: string | null;

  @Column({ name: 'message_key', type: 'varchar', length: 200, nullable: true })
  messageKey: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 100 })
  errorCode: string;

  @Column({ name: 'error_reason', type: 'varchar', length: 1000 })
  errorReason: string;

  /** MEDIUMTEXT: whatever a producer put there fits (a message is at most a few MB). */
  @Column({
    type: 'mediumtext',
    transformer: { to: JSON.stringify, from: (text: string) => JSON.parse(text) },
  })
  headers: Record<string, string>;

  @Column({ type: 'longtext' })
  value: string;

  @Column({ name: 'dead_lettered_at', type: 'datetime', precision: 3 })
  deadLetteredAt: Date;

  @Column({ type: 'varchar', length: 16 })
  state: DeadLetterState;

  @Column({ name: 'redrive_id', type: 'char', length: 36, nullable: true })
  redriveId: string | null;

  @Column({ name: 'redriven_at', type: 'datetime', precision: 3, nullable: true })
  redrivenAt: Date | null;
}

/** The audit record of one redrive: who, with which filter, which dead letters, when. */
@Entity('dead_letter_redrives')
@Index('idx_dead_letter_redrives_at', ['redrivenAt'])
export class DeadLetterRedriveEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** The operator's API client and its tenant, from the token. */
  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;

  @Column({ name: 'client_tenant_id', type: 'varchar', length: 36 })
  clientTenantId: string;

  @Column({ type: 'simple-json' })
  filter: Record<string, unknown>;

  @Column({ name: 'dead_letter_ids', type: 'simple-json' })
  deadLetterIds: string[];

  @Column({ name: 'message_ids', type: 'simple-json' })
  messageIds: string[];

  @Column({ type: 'int' })
  count: number;

  @Column({ name: 'redriven_at', type: 'datetime', precision: 3 })
  redrivenAt: Date;
}
