import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Saga state and history, the same in every service that orchestrates sagas. */
export class SagaTables1763700000110 implements MigrationInterface {
  name = 'SagaTables1763700000110';

  async up(queryRunner: QueryRunner): Promise<void> {
    // idx_saga_due serves the sweeper's claim (state = ? AND deadline_at <= ? ORDER BY deadline_at).
    await queryRunner.query(`CREATE TABLE saga_instances (
      id VARCHAR(100) NOT NULL PRIMARY KEY,
      type VARCHAR(100) NOT NULL,
      tenant_id CHAR(36) NOT NULL,
      correlation_id VARCHAR(100) NOT NULL,
      state VARCHAR(20) NOT NULL,
      step VARCHAR(100) NOT NULL,
      data LONGTEXT NOT NULL,
      deadline_at DATETIME(3) NULL,
      attempts INT NOT NULL,
      version INT NOT NULL,
      compensations LONGTEXT NOT NULL,
      last_error TEXT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      completed_at DATETIME(3) NULL,
      KEY idx_saga_due (state, deadline_at),
      KEY idx_saga_tenant_state (tenant_id, state, updated_at),
      KEY idx_saga_tenant_correlation (tenant_id, correlation_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE saga_history (
      saga_id VARCHAR(100) NOT NULL,
      seq INT NOT NULL,
      at DATETIME(3) NOT NULL,
      from_state VARCHAR(20) NULL,
      to_state VARCHAR(20) NOT NULL,
      step VARCHAR(100) NOT NULL,
      event VARCHAR(40) NOT NULL,
      detail TEXT NULL,
      PRIMARY KEY (saga_id, seq)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE saga_history');
    await queryRunner.query('DROP TABLE saga_instances');
  }
}
