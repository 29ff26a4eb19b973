import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 (bounded everything): a reversal's Idempotency-Key compares byte for byte, as order's keys do
 * (order migration 202). Under utf8mb4_unicode_ci, `Rev-1` and `rev-1` (or keys differing in accents or
 * trailing spaces) were one key: a second reversal request was refused as a reuse or answered with the
 * first one. Going down fails if two keys of a tenant now differ only that way: they were distinct requests.
 */
export class InvoiceReversalKeyBytes1763700000302 implements MigrationInterface {
  name = 'InvoiceReversalKeyBytes1763700000302';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE reversals MODIFY idempotency_key VARBINARY(800) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE reversals MODIFY idempotency_key VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL',
    );
  }
}
