import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { InvoiceEntity } from './invoice.entity';

@Entity('invoice_lines')
export class InvoiceLineEntity {
  @PrimaryColumn({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @PrimaryColumn({ name: 'line_no', type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'tax_code', type: 'char', length: 19 })
  taxCode: string;

  @Column({ type: 'varchar', length: 40 })
  quantity: string;

  @Column({ name: 'unit_price', type: 'varchar', length: 40 })
  unitPrice: string;

  @Column({ name: 'tax_rate', type: 'varchar', length: 10 })
  taxRate: string;

  @Column({ name: 'price_includes_tax', type: 'boolean' })
  priceIncludesTax: boolean;

  @Column({ type: 'decimal', precision: 18, scale: 2 })
  net: string;

  @Column({ type: 'decimal', precision: 18, scale: 2 })
  tax: string;

  @Column({ type: 'decimal', precision: 18, scale: 2 })
  gross: string;

  @ManyToOne('InvoiceEntity', 'lines')
  @JoinColumn({ name: 'invoice_id' })
  invoice?: InvoiceEntity;
}
