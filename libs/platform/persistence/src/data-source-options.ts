import { Counter } from 'prom-client';
import { AdvancedConsoleLogger, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import type { DatabaseConfig } from '@fapiao/platform/config';

export interface SchemaDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * Every SQL statement a service sends through TypeORM, transaction control included (START TRANSACTION,
 * COMMIT): `npm run bench` divides it by the invoices issued. The `service` label is the registry's default.
 */
export const dbStatements = new Counter({
  name: 'fapiao_db_statements_total',
  help: 'SQL statements sent to the database through TypeORM, transaction control included',
});

/**
 * TypeORM's default logger, as it builds it itself when neither `logger` nor `logging` is given (it prints
 * migrations, and slow queries only with `maxQueryExecutionTime`; never a query), that also counts each
 * statement: TypeORM calls `logQuery` for every statement whatever `logging` says. One increment each.
 */
class CountingLogger extends AdvancedConsoleLogger {
  override logQuery(...args: Parameters<AdvancedConsoleLogger['logQuery']>): void {
    dbStatements.inc();
    super.logQuery(...args);
  }
}

/** MySQL 8 and MariaDB 10.11 alike; the schema only ever changes through migrations. */
export function dataSourceOptions(config: DatabaseConfig, schema: SchemaDefinition): DataSourceOptions {
  return {
    type: 'mysql',
    ...(config.socketPath ? { socketPath: config.socketPath } : { host: config.host, port: config.port }),
    username: config.user,
    password: config.password,
    database: config.database,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    // mysql2 otherwise captures a stack trace before every query for its error messages: ~5 % of a busy
    // service's CPU (docs/benchmarks.md). Our errors carry codes and the statement, not the call site.
    trace: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    logger: new CountingLogger(undefined),
    entities: schema.entities,
    migrations: schema.migrations,
  };
}
