import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 (bounded everything):
 * - Idempotency keys compare byte for byte. Under the table's utf8mb4_unicode_ci, `Order-1` and `order-1`
 *   (or `straße` and `strasse`, or keys differing only in trailing spaces) were one key: a second client
 *   request got the first one's order replayed, or was refused as a reuse. VARBINARY compares bytes, with
 *   no padding, on MariaDB and MySQL 8 alike; 800 bytes hold the 200 characters a key may have in UTF-8.
 * - An order's rejection holds up to 50 field errors (InvoiceRejected's limit), whose JSON may exceed what
 *   TEXT holds (64 KB): MEDIUMTEXT.
 * Going down fails if two keys now differ only by case or accents: they were distinct requests.
 */
export class OrderBoundedInputs1763700000202 implements MigrationInterface {
  name = 'OrderBoundedInputs1763700000202';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE idempotency_keys MODIFY idempotency_key VARBINARY(800) NOT NULL');
    await queryRunner.query('ALTER TABLE orders MODIFY rejection MEDIUMTEXT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orders MODIFY rejection TEXT NULL');
    await queryRunner.query(
      'ALTER TABLE idempotency_keys MODIFY idempotency_key VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL',
    );
  }
}
