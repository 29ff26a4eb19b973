import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaxBridgeInitial1763700000400 implements MigrationInterface {
  name = 'TaxBridgeInitial1763700000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE submissions (
      serial VARCHAR(64) NOT NULL PRIMARY KEY,
      invoice_id CHAR(36) NOT NULL,
      tenant_id CHAR(36) NOT NULL,
      state VARCHAR(16) NOT NULL,
      command LONGTEXT NOT NULL,
      attempts INT NOT NULL,
      next_attempt_at DATETIME(3) NOT NULL,
      lease_until DATETIME(3) NULL,
      last_error VARCHAR(500) NULL,
      number CHAR(20) NULL,
      outcome TEXT NULL,
      causation LONGTEXT NOT NULL,
      trace_headers TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_submissions_invoice (invoice_id),
      KEY idx_submissions_due (state, next_attempt_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE submissions');
  }
}
