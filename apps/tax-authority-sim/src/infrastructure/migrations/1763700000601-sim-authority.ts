import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Everything the authority API needs beyond the initial table: numbering, red-letter forms, buyer confirmation. */
export class SimAuthority1763700000601 implements MigrationInterface {
  name = 'SimAuthority1763700000601';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Serials are compared byte for byte: "ABC" and "abc" are two submissions.
    await queryRunner.query(`ALTER TABLE issued_invoices
      MODIFY serial VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      ADD COLUMN invoice_type VARCHAR(8) NOT NULL AFTER kind,
      ADD COLUMN red_letter_form_id CHAR(36) NULL AFTER original_number,
      ADD COLUMN total_net DECIMAL(18,2) NOT NULL AFTER red_letter_form_id,
      ADD COLUMN file_ref VARCHAR(255) NOT NULL AFTER payload,
      ADD COLUMN buyer_confirmed_at DATETIME(3) NULL AFTER file_ref,
      ADD KEY idx_issued_original (original_number)`);
    // One row per number prefix (year, province, channel); incremented inside the issuing transaction.
    await queryRunner.query(`CREATE TABLE number_sequences (
      prefix CHAR(5) NOT NULL PRIMARY KEY,
      last_value BIGINT NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE red_letter_forms (
      id CHAR(36) NOT NULL PRIMARY KEY,
      serial VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      blue_number CHAR(20) NOT NULL,
      seller_tax_id CHAR(18) NOT NULL,
      initiator VARCHAR(8) NOT NULL,
      reason_code CHAR(2) NOT NULL,
      scope VARCHAR(8) NOT NULL,
      state VARCHAR(32) NOT NULL,
      plan_lines LONGTEXT NOT NULL,
      total_net DECIMAL(18,2) NOT NULL,
      total_tax DECIMAL(18,2) NOT NULL,
      total_gross DECIMAL(18,2) NOT NULL,
      raised_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NULL,
      updated_at DATETIME(3) NOT NULL,
      red_invoice_number CHAR(20) NULL,
      UNIQUE KEY uq_forms_serial (serial),
      KEY idx_forms_blue (blue_number)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE red_letter_forms');
    await queryRunner.query('DROP TABLE number_sequences');
    await queryRunner.query(`ALTER TABLE issued_invoices
      DROP KEY idx_issued_original,
      DROP COLUMN buyer_confirmed_at,
      DROP COLUMN file_ref,
      DROP COLUMN total_net,
      DROP COLUMN red_letter_form_id,
      DROP COLUMN invoice_type,
      MODIFY serial VARCHAR(64) NOT NULL`);
  }
}
