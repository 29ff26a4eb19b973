import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Red-letter reversals: each side's red totals, and when the order was cancelled. */
export class ReconReversals1763700000501 implements MigrationInterface {
  name = 'ReconReversals1763700000501';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE recon_reversals (
      reversal_id CHAR(36) NOT NULL PRIMARY KEY,
      invoice_id CHAR(36) NOT NULL,
      order_id CHAR(36) NULL,
      invoice_gross DECIMAL(18,2) NULL,
      authority_gross DECIMAL(18,2) NULL,
      authority_number CHAR(20) NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY idx_recon_reversals_invoice (invoice_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`ALTER TABLE recon_orders
      ADD COLUMN cancelled_at DATETIME(3) NULL AFTER matched_at,
      ADD KEY idx_recon_orders_cancelled (status, cancelled_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE recon_orders DROP KEY idx_recon_orders_cancelled, DROP COLUMN cancelled_at',
    );
    await queryRunner.query('DROP TABLE recon_reversals');
  }
}
