import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and inbox tables, the same in every service that talks to Kafka. */
export class MessagingTables1763700000100 implements MigrationInterface {
  name = 'MessagingTables1763700000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE outbox_messages (
      id CHAR(36) NOT NULL PRIMARY KEY,
      topic VARCHAR(200) NOT NULL,
      message_key VARCHAR(200) NOT NULL,
      value LONGTEXT NOT NULL,
      headers TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      sent_at DATETIME(3) NULL,
      KEY idx_outbox_unsent (sent_at, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE inbox_messages (
      consumer_group VARCHAR(200) NOT NULL,
      message_id CHAR(36) NOT NULL,
      topic VARCHAR(200) NOT NULL,
      processed_at DATETIME(3) NOT NULL,
      PRIMARY KEY (consumer_group, message_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox_messages');
    await queryRunner.query('DROP TABLE outbox_messages');
  }
}
