import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A red-letter confirmation form (红字确认单) with the figures its red-letter invoice must carry. */
@Entity('red_letter_forms')
export class RedLetterFormEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true, collation: 'utf8mb4_bin' })
  serial: string;

  @Index('idx_forms_blue')
  @Column({ name: 'blue_number', type: 'char', length: 20 })
  blueNumber: string;

  @Column({ name: 'seller_tax_id', type: 'char', length: 18 })
  sellerTaxId: string;

  @Column({ type: 'varchar', length: 8 })
  initiator: 'seller' | 'buyer';

  @Column({ name: 'reason_code', type: 'char', length: 2 })
  reasonCode: string;

  @Column({ type: 'varchar', length: 8 })
  scope: 'full' | 'partial';

  /** As stored; a raised form past its deadline reads as expired even before a write records it. */
  @Column({ type: 'varchar', length: 32 })
  state: string;

  /** JSON: the planned red-letter lines (negative amount, tax, quantity per blue line). */
  @Column({ name: 'plan_lines', type: 'longtext' })
  planLines: string;

  @Column({ name: 'total_net', type: 'decimal', precision: 18, scale: 2 })
  totalNet: string;

  @Column({ name: 'total_tax', type: 'decimal', precision: 18, scale: 2 })
  totalTax: string;

  @Column({ name: 'total_gross', type: 'decimal', precision: 18, scale: 2 })
  totalGross: string;

  @Column({ name: 'raised_at', type: 'datetime', precision: 3 })
  raisedAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'red_invoice_number', type: 'char', length: 20, nullable: true })
  redInvoiceNumber: string | null;
}
