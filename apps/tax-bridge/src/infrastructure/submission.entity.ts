import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SubmissionOperation, SubmissionState } from '../domain/submission-state';

/**
 * One submission to the authority — an invoice to issue, or a red-letter reversal of one: the durable
 * store-and-forward queue is this table.
 */
@Entity('submissions')
@Index('idx_submissions_due', ['state', 'nextAttemptAt'])
export class SubmissionEntity {
  /** The invoice's serial, or the red-letter invoice's serial for a reversal. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'varchar', length: 16 })
  operation: SubmissionOperation;

  @Column({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  state: SubmissionState;

  /** The IssueInvoice or ReverseInvoice payload, sent unchanged on every attempt. */
  @Column({ type: 'longtext' })
  command: string;

  /** How many times the request was sent (incremented before sending). */
  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt: Date;

  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'char', length: 20, nullable: true })
  number: string | null;

  /** A reversal's confirmation form at the authority, once raised. */
  @Column({ name: 'form_id', type: 'varchar', length: 64, nullable: true })
  formId: string | null;

  /** The authority's definite answer (IssueOutcome or ReversalOutcome JSON), re-announced if the command comes again. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** The command's envelope: causation and correlation ids of the outcome event. */
  @Column({ type: 'longtext' })
  causation: string;

  /** Trace context of the command, so the later submission joins the order's trace. */
  @Column({ name: 'trace_headers', type: 'text' })
  traceHeaders: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
