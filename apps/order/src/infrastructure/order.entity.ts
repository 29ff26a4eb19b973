import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { OrderStatus } from '../domain/order-status';

@Entity('orders')
@Index('idx_orders_tenant_status', ['tenantId', 'status', 'createdAt'])
@Index('idx_orders_tenant_external', ['tenantId', 'externalId'])
@Index('idx_orders_status', ['status'])
export class OrderEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ name: 'seller_tax_id', type: 'char', length: 18 })
  sellerTaxId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 100 })
  externalId: string;

  @Column({ type: 'varchar', length: 32 })
  status: OrderStatus;

  @Column({ name: 'invoice_type', type: 'varchar', length: 16 })
  invoiceType: string;

  /** The accepted request as JSON (buyer, lines) — the invoice service receives it through the event. */
  @Column({ type: 'longtext' })
  request: string;

  @Column({ name: 'invoice_id', type: 'char', length: 36, nullable: true })
  invoiceId: string | null;

  /** Field-level reasons when the invoice was rejected, as JSON (up to 50 errors: MEDIUMTEXT). */
  @Column({ type: 'mediumtext', nullable: true })
  rejection: string | null;

  /** What remains invoiced: the blue invoice's gross, less every red-letter reversal. */
  @Column({ name: 'invoiced_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  invoicedGross: string | null;

  /** The last refused cancel-reversal as JSON ({code, message, reversalId}); cleared by a successful one. */
  @Column({ name: 'reversal_error', type: 'text', nullable: true })
  reversalError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
