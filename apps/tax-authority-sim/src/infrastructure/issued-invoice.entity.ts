import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An invoice the simulated authority has issued (blue) or a negative red-letter invoice. */
@Entity('issued_invoices')
@Index('idx_issued_seller', ['sellerTaxId', 'issuedAt'])
export class IssuedInvoiceEntity {
  /** The 20-digit number: 2 year, 2 province, 1 channel, 15 sequence. */
  @PrimaryColumn({ type: 'char', length: 20 })
  number: string;

  /** The submitter's serial: the authority deduplicates on it (case- and accent-sensitive). */
  @Column({ type: 'varchar', length: 64, unique: true, collation: 'utf8mb4_bin' })
  serial: string;

  @Column({ name: 'seller_tax_id', type: 'char', length: 18 })
  sellerTaxId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: 'blue' | 'red';

  @Column({ name: 'invoice_type', type: 'varchar', length: 8 })
  invoiceType: 'normal' | 'special';

  @Index('idx_issued_original')
  @Column({ name: 'original_number', type: 'char', length: 20, nullable: true })
  originalNumber: string | null;

  @Column({ name: 'red_letter_form_id', type: 'char', length: 36, nullable: true })
  redLetterFormId: string | null;

  @Column({ name: 'total_net', type: 'decimal', precision: 18, scale: 2 })
  totalNet: string;

  @Column({ name: 'total_tax', type: 'decimal', precision: 18, scale: 2 })
  totalTax: string;

  @Column({ name: 'total_gross', type: 'decimal', precision: 18, scale: 2 })
  totalGross: string;

  /** JSON `{ buyer, lines }` as submitted. */
  @Column({ type: 'longtext' })
  payload: string;

  @Column({ name: 'file_ref', type: 'varchar', length: 255 })
  fileRef: string;

  /** When the buyer confirmed the invoice's use or booked it (用途确认/入账确认). */
  @Column({ name: 'buyer_confirmed_at', type: 'datetime', precision: 3, nullable: true })
  buyerConfirmedAt: Date | null;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: Date;
}
