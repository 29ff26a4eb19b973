import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InvoiceStatus } from '../domain/invoice-status';

/** The invoice's own history: every status it went through, and why. */
@Entity('invoice_events')
export class InvoiceEventEntity {
  @PrimaryColumn({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 24 })
  status: InvoiceStatus;

  @Column({ type: 'varchar', length: 500 })
  note: string;

  @Column({ type: 'datetime', precision: 3 })
  at: Date;
}
