import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform clients (no tenant), secret rotation with a grace period, revocation lists by time; and the
 * tenant operator scopes that replace `ops:admin` (an existing client keeps what it could do).
 */
export class ClientLifecycle1764400000000 implements MigrationInterface {
  name = 'ClientLifecycle1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_clients
      MODIFY tenant_id CHAR(36) NULL,
      ADD COLUMN previous_secret_hash VARCHAR(255) NULL AFTER secret_hash,
      ADD COLUMN previous_secret_expires_at DATETIME(3) NULL AFTER previous_secret_hash,
      ADD KEY idx_api_clients_revoked (revoked_at)`);
    await queryRunner.query(
      `UPDATE api_clients SET scopes = REPLACE(scopes, '"ops:admin"', '"ops:read","ops:write"')
       WHERE scopes LIKE '%"ops:admin"%'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM api_clients WHERE tenant_id IS NULL');
    await queryRunner.query(
      `UPDATE api_clients SET scopes = REPLACE(scopes, '"ops:read","ops:write"', '"ops:admin"')
       WHERE scopes LIKE '%"ops:read","ops:write"%'`,
    );
    await queryRunner.query(`ALTER TABLE api_clients
      DROP KEY idx_api_clients_revoked,
      DROP COLUMN previous_secret_expires_at,
      DROP COLUMN previous_secret_hash,
      MODIFY tenant_id CHAR(36) NOT NULL`);
  }
}
