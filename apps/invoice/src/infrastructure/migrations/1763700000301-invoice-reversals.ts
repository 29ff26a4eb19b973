import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InvoiceReversals1763700000301 implements MigrationInterface {
  name = 'InvoiceReversals1763700000301';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE reversals (
      id CHAR(36) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      invoice_id CHAR(36) NOT NULL,
      cause VARCHAR(16) NOT NULL,
      kind VARCHAR(8) NOT NULL,
      reason_code CHAR(2) NOT NULL,
      status VARCHAR(24) NOT NULL,
      idempotency_key VARCHAR(200) NULL,
      scope TEXT NOT NULL,
      planned_lines TEXT NOT NULL,
      planned_net DECIMAL(18,2) NOT NULL,
      planned_tax DECIMAL(18,2) NOT NULL,
      planned_gross DECIMAL(18,2) NOT NULL,
      form_serial VARCHAR(64) NOT NULL,
      red_serial VARCHAR(64) NOT NULL,
      form_id VARCHAR(64) NULL,
      form_expires_at DATETIME(3) NULL,
      red_number CHAR(20) NULL,
      red_net DECIMAL(18,2) NULL,
      red_tax DECIMAL(18,2) NULL,
      red_gross DECIMAL(18,2) NULL,
      red_issued_at DATETIME(3) NULL,
      red_file_ref VARCHAR(500) NULL,
      error TEXT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      version INT NOT NULL,
      KEY idx_reversals_invoice (invoice_id, created_at),
      UNIQUE KEY uq_reversals_idempotency (tenant_id, idempotency_key),
      UNIQUE KEY uq_reversals_form_serial (form_serial),
      UNIQUE KEY uq_reversals_red_serial (red_serial),
      CONSTRAINT fk_reversals_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // The order was cancelled: reverse what remains, with this reason, as soon as the invoice allows.
    await queryRunner.query(`ALTER TABLE invoices
      ADD COLUMN cancel_reason_code CHAR(2) NULL AFTER errors,
      MODIFY status VARCHAR(24) NOT NULL`);
    await queryRunner.query('ALTER TABLE invoice_events MODIFY status VARCHAR(24) NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE invoices DROP COLUMN cancel_reason_code');
    // The status columns stay wide: rows may hold PARTIALLY_REVERSED.
    await queryRunner.query('DROP TABLE reversals');
  }
}
