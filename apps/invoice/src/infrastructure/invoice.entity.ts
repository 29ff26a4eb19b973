import { Column, Entity, Index, OneToMany, PrimaryColumn, VersionColumn } from 'typeorm';
import type { InvoiceStatus } from '../domain/invoice-status';
import { InvoiceLineEntity } from './invoice-line.entity';

@Entity('invoices')
@Index('uq_invoices_order', ['tenantId', 'orderId'], { unique: true })
export class InvoiceEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ type: 'varchar', length: 24 })
  status: InvoiceStatus;

  @Column({ name: 'invoice_type', type: 'varchar', length: 16 })
  invoiceType: 'normal' | 'special';

  @Column({ name: 'seller_tax_id', type: 'char', length: 18 })
  sellerTaxId: string;

  @Column({ name: 'buyer_name', type: 'varchar', length: 200 })
  buyerName: string;

  @Column({ name: 'buyer_tax_id', type: 'char', length: 18, nullable: true })
  buyerTaxId: string | null;

  @Column({ name: 'total_net', type: 'decimal', precision: 18, scale: 2, nullable: true })
  totalNet: string | null;

  @Column({ name: 'total_tax', type: 'decimal', precision: 18, scale: 2, nullable: true })
  totalTax: string | null;

  @Column({ name: 'total_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  totalGross: string | null;

  @Column({ name: 'uppercase_gross', type: 'varchar', length: 100, nullable: true })
  uppercaseGross: string | null;

  @Column({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'char', length: 20, nullable: true })
  number: string | null;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3, nullable: true })
  issuedAt: Date | null;

  @Column({ name: 'file_ref', type: 'varchar', length: 500, nullable: true })
  fileRef: string | null;

  /** Field-level reasons of a rejection, as JSON. */
  @Column({ type: 'text', nullable: true })
  errors: string | null;

  /** The order was cancelled: what remains is reversed, for this reason, once the invoice allows it. */
  @Column({ name: 'cancel_reason_code', type: 'char', length: 2, nullable: true })
  cancelReasonCode: '01' | '02' | '03' | '04' | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;

  @OneToMany(() => InvoiceLineEntity, (line) => line.invoice)
  lines?: InvoiceLineEntity[];
}
