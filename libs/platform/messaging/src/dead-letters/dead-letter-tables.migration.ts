import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dead letters recorded by the consumer runner, and the audit record of their redrives. */
export class DeadLetterTables1763700000102 implements MigrationInterface {
  name = 'DeadLetterTables1763700000102';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE dead_letters (
      id CHAR(36) NOT NULL PRIMARY KEY,
      consumer_group VARCHAR(200) NOT NULL,
      topic VARCHAR(200) NOT NULL,
      source_topic VARCHAR(200) NOT NULL,
      source_partition INT NOT NULL,
      source_offset BIGINT NOT NULL,
      message_id VARCHAR(36) NULL,
      message_type VARCHAR(100) NULL,
      tenant_id VARCHAR(36) NULL,
      message_key VARCHAR(200) NULL,
      error_code VARCHAR(100) NOT NULL,
      error_reason VARCHAR(1000) NOT NULL,
      headers MEDIUMTEXT NOT NULL,
      value LONGTEXT NOT NULL,
      dead_lettered_at DATETIME(3) NOT NULL,
      state VARCHAR(16) NOT NULL,
      redrive_id CHAR(36) NULL,
      redriven_at DATETIME(3) NULL,
      UNIQUE KEY uq_dead_letters_delivery (consumer_group, source_topic, source_partition, source_offset),
      KEY idx_dead_letters_state (state, dead_lettered_at),
      KEY idx_dead_letters_tenant (tenant_id, state, dead_lettered_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE dead_letter_redrives (
      id CHAR(36) NOT NULL PRIMARY KEY,
      client_id VARCHAR(200) NOT NULL,
      client_tenant_id VARCHAR(36) NOT NULL,
      filter TEXT NOT NULL,
      dead_letter_ids LONGTEXT NOT NULL,
      message_ids LONGTEXT NOT NULL,
      count INT NOT NULL,
      redriven_at DATETIME(3) NOT NULL,
      KEY idx_dead_letter_redrives_at (redriven_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dead_letter_redrives');
    await queryRunner.query('DROP TABLE dead_letters');
  }
}
