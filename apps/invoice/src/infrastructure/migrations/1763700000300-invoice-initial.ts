import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InvoiceInitial1763700000300 implements MigrationInterface {
  name = 'InvoiceInitial1763700000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE invoices (
      id CHAR(36) NOT NULL PRIMARY KEY,
      tenant_id CHAR(36) NOT NULL,
      order_id CHAR(36) NOT NULL,
      status VARCHAR(16) NOT NULL,
      invoice_type VARCHAR(16) NOT NULL,
      seller_tax_id CHAR(18) NOT NULL,
      buyer_name VARCHAR(200) NOT NULL,
      buyer_tax_id CHAR(18) NULL,
      total_net DECIMAL(18,2) NULL,
      total_tax DECIMAL(18,2) NULL,
      total_gross DECIMAL(18,2) NULL,
      uppercase_gross VARCHAR(100) NULL,
      serial VARCHAR(64) NOT NULL,
      number CHAR(20) NULL,
      issued_at DATETIME(3) NULL,
      file_ref VARCHAR(500) NULL,
      errors TEXT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      version INT NOT NULL,
      UNIQUE KEY uq_invoices_order (tenant_id, order_id),
      UNIQUE KEY uq_invoices_serial (serial),
      KEY idx_invoices_tenant_status (tenant_id, status)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE invoice_lines (
      invoice_id CHAR(36) NOT NULL,
      line_no INT NOT NULL,
      name VARCHAR(200) NOT NULL,
      tax_code CHAR(19) NOT NULL,
      quantity VARCHAR(40) NOT NULL,
      unit_price VARCHAR(40) NOT NULL,
      tax_rate VARCHAR(10) NOT NULL,
      price_includes_tax TINYINT(1) NOT NULL,
      net DECIMAL(18,2) NOT NULL,
      tax DECIMAL(18,2) NOT NULL,
      gross DECIMAL(18,2) NOT NULL,
      PRIMARY KEY (invoice_id, line_no),
      CONSTRAINT fk_invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE invoice_events (
      invoice_id CHAR(36) NOT NULL,
      seq INT NOT NULL,
      status VARCHAR(16) NOT NULL,
      note VARCHAR(500) NOT NULL,
      at DATETIME(3) NOT NULL,
      PRIMARY KEY (invoice_id, seq)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE invoice_events');
    await queryRunner.query('DROP TABLE invoice_lines');
    await queryRunner.query('DROP TABLE invoices');
  }
}
