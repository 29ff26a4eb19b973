import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthInitial1763700000000 implements MigrationInterface {
  name = 'AuthInitial1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tenants (
      id CHAR(36) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      seller_tax_id CHAR(18) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_tenants_seller_tax_id (seller_tax_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE api_clients (
      client_id VARCHAR(64) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      name VARCHAR(200) NOT NULL,
      secret_hash VARCHAR(255) NOT NULL,
      scopes TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      revoked_at DATETIME(3) NULL,
      KEY idx_api_clients_tenant (tenant_id),
      CONSTRAINT fk_api_clients_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE signing_keys (
      kid VARCHAR(64) NOT NULL PRIMARY KEY,
      status VARCHAR(16) NOT NULL,
      public_jwk TEXT NOT NULL,
      private_key_enc TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      retired_at DATETIME(3) NULL,
      KEY idx_signing_keys_status (status)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE signing_keys');
    await queryRunner.query('DROP TABLE api_clients');
    await queryRunner.query('DROP TABLE tenants');
  }
}
