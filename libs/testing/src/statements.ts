import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner.js';

/**
 * Every SQL statement sent through TypeORM's MySQL query runner (all of ours go through it) while `work`
 * runs, in order; `work` sees them as they are sent.
 */
export async function statementsOf(work: (sent: readonly string[]) => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = MysqlQueryRunner.prototype.query;
  MysqlQueryRunner.prototype.query = function (this: MysqlQueryRunner, ...args) {
    sent.push(args[0]);
    return query.apply(this, args);
  };
  try {
    await work(sent);
  } finally {
    MysqlQueryRunner.prototype.query = query;
  }
  return sent;
}
