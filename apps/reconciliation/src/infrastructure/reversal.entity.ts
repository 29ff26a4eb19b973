import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One red-letter invoice as the invoice service and the authority reported it. The two reports travel on
 * different topics, so either may create the row; the other fills in its side.
 */
@Entity('recon_reversals')
@Index('idx_recon_reversals_invoice', ['invoiceId'])
export class ReconReversalEntity {
  @PrimaryColumn({ name: 'reversal_id', type: 'char', length: 36 })
  reversalId: string;

  @Column({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  /** Known from InvoiceReversed only. */
  @Column({ name: 'order_id', type: 'char', length: 36, nullable: true })
  orderId: string | null;

  /** Negative: InvoiceReversed's gross. */
  @Column({ name: 'invoice_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  invoiceGross: string | null;

  /** Negative: InvoiceReversedByAuthority's gross. */
  @Column({ name: 'authority_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  authorityGross: string | null;

  /** The red-letter invoice's 20-digit number, as the authority issued it. */
  @Column({ name: 'authority_number', type: 'char', length: 20, nullable: true })
  authorityNumber: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
