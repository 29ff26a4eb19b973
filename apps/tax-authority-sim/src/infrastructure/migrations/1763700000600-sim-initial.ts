import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SimInitial1763700000600 implements MigrationInterface {
  name = 'SimInitial1763700000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE issued_invoices (
      number CHAR(20) NOT NULL PRIMARY KEY,
      serial VARCHAR(64) NOT NULL,
      seller_tax_id CHAR(18) NOT NULL,
      kind VARCHAR(8) NOT NULL,
      original_number CHAR(20) NULL,
      total_gross DECIMAL(18,2) NOT NULL,
      total_tax DECIMAL(18,2) NOT NULL,
      payload LONGTEXT NOT NULL,
      issued_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_issued_serial (serial),
      KEY idx_issued_seller (seller_tax_id, issued_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE issued_invoices');
  }
}
