import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Red-letter reversal: what remains invoiced, and why a cancel-reversal was refused. */
export class OrderReversals1763700000201 implements MigrationInterface {
  name = 'OrderReversals1763700000201';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders
      ADD COLUMN invoiced_gross DECIMAL(18,2) NULL AFTER rejection,
      ADD COLUMN reversal_error TEXT NULL AFTER invoiced_gross`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orders DROP COLUMN reversal_error, DROP COLUMN invoiced_gross');
  }
}
