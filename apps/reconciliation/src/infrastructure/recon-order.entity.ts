import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReconStatus } from '../domain/reconciliation';

/** The ledger: what each service said about one order. */
@Entity('recon_orders')
@Index('idx_recon_orders_pending', ['status', 'placedAt'])
@Index('idx_recon_orders_cancelled', ['status', 'cancelledAt'])
export class ReconOrderEntity {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  status: ReconStatus;

  /** Recomputed from the order's lines with the domain library; null if the order was invalid. */
  @Column({ name: 'expected_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  expectedGross: string | null;

  @Column({ name: 'invoice_id', type: 'char', length: 36, nullable: true, unique: true })
  invoiceId: string | null;

  @Column({ name: 'invoice_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  invoiceGross: string | null;

  /** When the order was placed (OrderPlaced); null while only facts from other topics have arrived. */
  @Column({ name: 'placed_at', type: 'datetime', precision: 3, nullable: true })
  placedAt: Date | null;

  @Column({ name: 'matched_at', type: 'datetime', precision: 3, nullable: true })
  matchedAt: Date | null;

  /** When the order was cancelled (OrderCancelled); cleared when invoice refused the cancel's reversal. */
  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
