import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order's row may exist before its OrderPlaced: a fact from another topic (InvoiceIssued, …) that
 * arrives first is held on it. `placed_at` stays NULL until OrderPlaced is recorded.
 */
export class ReconOrderSeenLater1763700000502 implements MigrationInterface {
  name = 'ReconOrderSeenLater1763700000502';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE recon_orders MODIFY placed_at DATETIME(3) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM recon_orders WHERE placed_at IS NULL');
    await queryRunner.query('ALTER TABLE recon_orders MODIFY placed_at DATETIME(3) NOT NULL');
  }
}
