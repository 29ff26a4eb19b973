import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reversals share the queue: an invoice now has one issue submission and any number of reversals. */
export class TaxBridgeReversals1763700000401 implements MigrationInterface {
  name = 'TaxBridgeReversals1763700000401';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE submissions
      ADD COLUMN operation VARCHAR(16) NOT NULL DEFAULT 'issue' AFTER serial,
      ADD COLUMN form_id VARCHAR(64) NULL AFTER number,
      DROP INDEX uq_submissions_invoice,
      ADD KEY idx_submissions_invoice (invoice_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM submissions WHERE operation <> 'issue'`);
    await queryRunner.query(`ALTER TABLE submissions
      DROP KEY idx_submissions_invoice,
      ADD UNIQUE KEY uq_submissions_invoice (invoice_id),
      DROP COLUMN form_id,
      DROP COLUMN operation`);
  }
}
