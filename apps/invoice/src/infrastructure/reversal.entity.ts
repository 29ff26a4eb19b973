import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import type { ReversalCause } from '@fapiao/contracts';
import type { ReversalStatus } from '../domain/invoice-status';

/** One red-letter reversal (红冲) of an invoice: its plan, its confirmation form and its red-letter invoice. */
@Entity('reversals')
@Index('idx_reversals_invoice', ['invoiceId', 'createdAt'])
@Index('uq_reversals_idempotency', ['tenantId', 'idempotencyKey'], { unique: true })
export class ReversalEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @Column({ type: 'varchar', length: 16 })
  cause: ReversalCause;

  @Column({ type: 'varchar', length: 8 })
  kind: 'full' | 'partial';

  @Column({ name: 'reason_code', type: 'char', length: 2 })
  reasonCode: '01' | '02' | '03' | '04';

  @Column({ type: 'varchar', length: 24 })
  status: ReversalStatus;

  /**
   * The client's Idempotency-Key: the same key answers the same reversal. Compared byte for byte
   * (VARBINARY, no collation); mysql2 reads it back as a Buffer, turned back into the text it was.
   */
  @Column({
    name: 'idempotency_key',
    type: 'varbinary',
    length: 800,
    nullable: true,
    transformer: {
      to: (key: string | null) => key,
      from: (bytes: Buffer | null) => bytes?.toString('utf8') ?? null,
    },
  })
  idempotencyKey: string | null;

  /** The request as accepted: "full" or the lines to take back (JSON), compared on a replay. */
  @Column({ type: 'text' })
  scope: string;

  /** The planned red-letter lines (negative figures, ReversalLine JSON): what later plans build on. */
  @Column({ name: 'planned_lines', type: 'text' })
  lines: string;

  @Column({ name: 'planned_net', type: 'decimal', precision: 18, scale: 2 })
  plannedNet: string;

  @Column({ name: 'planned_tax', type: 'decimal', precision: 18, scale: 2 })
  plannedTax: string;

  @Column({ name: 'planned_gross', type: 'decimal', precision: 18, scale: 2 })
  plannedGross: string;

  @Column({ name: 'form_serial', type: 'varchar', length: 64 })
  formSerial: string;

  @Column({ name: 'red_serial', type: 'varchar', length: 64 })
  redSerial: string;

  @Column({ name: 'form_id', type: 'varchar', length: 64, nullable: true })
  formId: string | null;

  @Column({ name: 'form_expires_at', type: 'datetime', precision: 3, nullable: true })
  formExpiresAt: Date | null;

  @Column({ name: 'red_number', type: 'char', length: 20, nullable: true })
  redNumber: string | null;

  /** The red-letter invoice's totals as the authority issued them (negative). */
  @Column({ name: 'red_net', type: 'decimal', precision: 18, scale: 2, nullable: true })
  redNet: string | null;

  @Column({ name: 'red_tax', type: 'decimal', precision: 18, scale: 2, nullable: true })
  redTax: string | null;

  @Column({ name: 'red_gross', type: 'decimal', precision: 18, scale: 2, nullable: true })
  redGross: string | null;

  @Column({ name: 'red_issued_at', type: 'datetime', precision: 3, nullable: true })
  redIssuedAt: Date | null;

  @Column({ name: 'red_file_ref', type: 'varchar', length: 500, nullable: true })
  redFileRef: string | null;

  /** Why it was refused: { code, message } JSON. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
