import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DiscrepancyType } from '../domain/reconciliation';

@Entity('discrepancies')
@Index('uq_discrepancies_order_type', ['orderId', 'type'], { unique: true })
@Index('idx_discrepancies_tenant', ['tenantId', 'detectedAt'])
export class DiscrepancyEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ type: 'varchar', length: 40 })
  type: DiscrepancyType;

  @Column({ type: 'varchar', length: 500 })
  detail: string;

  @Column({ name: 'detected_at', type: 'datetime', precision: 3 })
  detectedAt: Date;

  /** Set when later facts repaired the drift (e.g. the invoice was issued after all). */
  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt: Date | null;
}
