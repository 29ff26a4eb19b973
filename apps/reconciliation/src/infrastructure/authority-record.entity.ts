import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the authority issued, by invoice id: it may be reported before the invoice service's own event. */
@Entity('recon_authority_records')
export class AuthorityRecordEntity {
  @PrimaryColumn({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @Column({ type: 'char', length: 20 })
  number: string;

  @Column({ name: 'total_gross', type: 'decimal', precision: 18, scale: 2 })
  totalGross: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: Date;
}
