import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Shape {
  schema: string;
  statement: string;
  count: number;
  totalMs: number;
  usPerCall: number;
  rowsExaminedPerCall: number;
  fullScans: number;
}
interface SqlProfileModule {
  statementShape(sql: string): string;
  profileSlowLog(text: string, top?: number): Shape[];
}

const entry = (schema: string, seconds: number, examined: number, fullScan: boolean, sql: string) =>
  [
    '# Time: 261129 21:57:03',
    '# User@Host: root[root] @ localhost [127.0.0.1]',
    `# Thread_id: 76  Schema: ${schema}  QC_hit: No`,
    `# Query_time: ${seconds.toFixed(6)}  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: ${examined}`,
    '# Rows_affected: 0  Bytes_sent: 729',
    `# Full_scan: ${fullScan ? 'Yes' : 'No'}  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No`,
    'SET timestamp=1795989413;',
    `${sql};`,
  ].join('\n');

describe('bench SQL profile (MariaDB slow log)', () => {
  let profile: SqlProfileModule;
  beforeAll(async () => {
    profile = (await import(pathToFileURL(join(__dirname, 'sql-profile.mjs')).href)) as SqlProfileModule;
  });

  it('folds values and lists so that statements differing only in them group', () => {
    expect(profile.statementShape("SELECT * FROM invoices WHERE id IN ('a', 'b', 'c') AND n = 3")).toBe(
      'SELECT * FROM invoices WHERE id IN (?…) AND n = N',
    );
    expect(
      profile.statementShape("SELECT * FROM k WHERE (tenant_id, k) IN (('t', 'a'), ('t', 'b'))\n  LIMIT 8"),
    ).toBe('SELECT * FROM k WHERE (tenant_id, k) IN ((?…)…) LIMIT N');
    expect(profile.statementShape("UPDATE o SET s = CASE id WHEN 'a' THEN 'x' WHEN 'b' THEN 'y' END")).toBe(
      'UPDATE o SET s = CASE id WHEN … THEN … END',
    );
  });

  it('groups by database and shape, most time first, with rows examined and full scans per call', () => {
    const log = [
      'mariadbd, Version: 10.11.19-MariaDB. started with:',
      entry('fapiao_invoice', 0.4, 140_000, true, "SELECT * FROM invoices WHERE order_id IN ('a', 'b')"),
      entry('fapiao_invoice', 0.2, 100_000, true, "SELECT * FROM invoices WHERE order_id IN ('c')"),
      entry('fapiao_order', 0.001, 1, false, "SELECT * FROM orders WHERE id = 'x'"),
      entry('fapiao_tax', 0.002, 1, false, "SELECT * FROM orders WHERE id = 'y'"),
      entry('fapiao_order', 0.003, 1, false, "SELECT * FROM orders WHERE id = 'z'"),
    ].join('\n');
    expect(profile.profileSlowLog(log)).toEqual([
      {
        schema: 'fapiao_invoice',
        statement: 'SELECT * FROM invoices WHERE order_id IN (?…)',
        count: 2,
        totalMs: 600,
        usPerCall: 300_000,
        rowsExaminedPerCall: 120_000,
        fullScans: 2,
      },
      {
        schema: 'fapiao_order',
        statement: 'SELECT * FROM orders WHERE id = ?',
        count: 2,
        totalMs: 4,
        usPerCall: 2_000,
        rowsExaminedPerCall: 1,
        fullScans: 0,
      },
      {
        schema: 'fapiao_tax',
        statement: 'SELECT * FROM orders WHERE id = ?',
        count: 1,
        totalMs: 2,
        usPerCall: 2_000,
        rowsExaminedPerCall: 1,
        fullScans: 0,
      },
    ]);
  });
});
