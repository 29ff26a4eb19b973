import type { DataSource } from 'typeorm';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner.js';

interface Sent {
  sql: string;
  params: Parameters<MysqlQueryRunner['query']>[1];
}

async function capture(work: (sent: readonly string[]) => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const sqls: string[] = [];
  const query = MysqlQueryRunner.prototype.query;
  MysqlQueryRunner.prototype.query = function (this: MysqlQueryRunner, ...args) {
    sent.push({ sql: args[0], params: args[1] });
    sqls.push(args[0]);
    return query.apply(this, args);
  };
  try {
    await work(sqls);
  } finally {
    MysqlQueryRunner.prototype.query = query;
  }
  return sent;
}

/**
 * Every SQL statement sent through TypeORM's MySQL query runner (all of ours go through it) while `work`
 * runs, in order; `work` sees them as they are sent.
 */
export async function statementsOf(work: (sent: readonly string[]) => Promise<unknown>): Promise<string[]> {
  return (await capture(work)).map(({ sql }) => sql);
}

/**
 * The statements sent while `work` runs whose plan reads a whole table (EXPLAIN's type ALL), with the
 * tables scanned. A scan costs what the table holds, so a statement on the hot path must never need one;
 * seed the table first, or the optimizer may scan a few rows rather than open an index.
 */
export async function fullScansOf(
  dataSource: DataSource,
  work: (sent: readonly string[]) => Promise<unknown>,
): Promise<{ sql: string; tables: string[] }[]> {
  const scans: { sql: string; tables: string[] }[] = [];
  for (const { sql, params } of await capture(work)) {
    if (!/^\s*(SELECT|UPDATE|DELETE)\b/i.test(sql)) continue;
    const plan: { table: string; type: string }[] = await dataSource.query(`EXPLAIN ${sql}`, params);
    const tables = plan.filter((step) => step.type === 'ALL').map((step) => step.table);
    if (tables.length > 0) scans.push({ sql, tables });
  }
  return scans;
}
