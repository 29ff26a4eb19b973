import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderInitial1763700000200 implements MigrationInterface {
  name = 'OrderInitial1763700000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE orders (
      id CHAR(36) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      seller_tax_id CHAR(18) NOT NULL,
      external_id VARCHAR(100) NOT NULL,
      status VARCHAR(32) NOT NULL,
      invoice_type VARCHAR(16) NOT NULL,
      request LONGTEXT NOT NULL,
      invoice_id CHAR(36) NULL,
      rejection TEXT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      version INT NOT NULL,
      KEY idx_orders_tenant_status (tenant_id, status, created_at),
      KEY idx_orders_tenant_external (tenant_id, external_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE idempotency_keys (
      tenant_id CHAR(36) NOT NULL,
      idempotency_key VARCHAR(200) NOT NULL,
      request_hash CHAR(64) NOT NULL,
      order_id CHAR(36) NOT NULL,
      response_status SMALLINT NOT NULL,
      response_body LONGTEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      PRIMARY KEY (tenant_id, idempotency_key),
      KEY idx_idempotency_expires (expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
    await queryRunner.query('DROP TABLE orders');
  }
}
