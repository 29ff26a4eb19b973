import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Intake counts the orders in flight twice a second (IntakeBacklog): a range over this index, not a scan. */
export class OrderBacklogIndex1763700000210 implements MigrationInterface {
  name = 'OrderBacklogIndex1763700000210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orders ADD KEY idx_orders_status (status)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orders DROP KEY idx_orders_status');
  }
}
