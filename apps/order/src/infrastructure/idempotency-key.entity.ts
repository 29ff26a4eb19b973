import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A request key and the response it got, replayed for the same key and body (kept ≥ 24 h). */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  /**
   * The Idempotency-Key header, or `request:<requestId>` for internal Kafka requests: compared byte for
   * byte (VARBINARY: no collation folds case, accents or trailing spaces). Read back as a Buffer, which
   * nothing does: lookups go by the key given.
   */
  @PrimaryColumn({ name: 'idempotency_key', type: 'varbinary', length: 800 })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ name: 'response_status', type: 'smallint' })
  responseStatus: number;

  @Column({ name: 'response_body', type: 'longtext' })
  responseBody: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
