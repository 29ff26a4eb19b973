import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconInitial1763700000500 implements MigrationInterface {
  name = 'ReconInitial1763700000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE recon_orders (
      order_id CHAR(36) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      status VARCHAR(16) NOT NULL,
      expected_gross DECIMAL(18,2) NULL,
      invoice_id CHAR(36) NULL,
      invoice_gross DECIMAL(18,2) NULL,
      placed_at DATETIME(3) NOT NULL,
      matched_at DATETIME(3) NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_recon_orders_invoice (invoice_id),
      KEY idx_recon_orders_pending (status, placed_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE recon_authority_records (
      invoice_id CHAR(36) NOT NULL PRIMARY KEY,
      number CHAR(20) NOT NULL,
      total_gross DECIMAL(18,2) NOT NULL,
      issued_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE discrepancies (
      id CHAR(36) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      order_id CHAR(36) NOT NULL,
      type VARCHAR(40) NOT NULL,
      detail VARCHAR(500) NOT NULL,
      detected_at DATETIME(3) NOT NULL,
      resolved_at DATETIME(3) NULL,
      UNIQUE KEY uq_discrepancies_order_type (order_id, type),
      KEY idx_discrepancies_tenant (tenant_id, detected_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE discrepancies');
    await queryRunner.query('DROP TABLE recon_authority_records');
    await queryRunner.query('DROP TABLE recon_orders');
  }
}
