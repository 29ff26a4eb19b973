import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox is purged by age (MessagingPurge): an index so that each chunk finds its rows directly. */
export class InboxProcessedIndex1763700000101 implements MigrationInterface {
  name = 'InboxProcessedIndex1763700000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX idx_inbox_processed ON inbox_messages (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX idx_inbox_processed ON inbox_messages');
  }
}
