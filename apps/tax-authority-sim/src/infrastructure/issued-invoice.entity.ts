import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An invoice the simulated authority has issued (blue) or a negative red-letter invoice. */
@Entity('issued_invoices')
@Index('idx_issued_seller', ['sellerTaxId', 'issuedAt'])
export class IssuedInvoiceEntity {
  /** The 20-digit number: 2 year, 2 province, 1 channel, 15 sequence. */
  @PrimaryColumn({ type: 'char', length: 20 })
  number: string;

  /** The submitter's serial: the authority deduplicates on it. */
  @Column({ type: 'varchar', length: 64, unique: true })
  serial: string;

  @Column({ name: 'seller_tax_id', type: 'char', length: 18 })
  sellerTaxId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: 'blue' | 'red';

  @Column({ name: 'original_number', type: 'char', length: 20, nullable: true })
  originalNumber: string | null;

  @Column({ name: 'total_gross', type: 'decimal', precision: 18, scale: 2 })
  totalGross: string;

  @Column({ name: 'total_tax', type: 'decimal', precision: 18, scale: 2 })
  totalTax: string;

  @Column({ type: 'longtext' })
  payload: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: Date;
}
