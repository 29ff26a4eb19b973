import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import type { DatabaseConfig } from '@fapiao/platform/config';

export interface SchemaDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** MySQL 8 and MariaDB 10.11 alike; the schema only ever changes through migrations. */
export function dataSourceOptions(config: DatabaseConfig, schema: SchemaDefinition): DataSourceOptions {
  return {
    type: 'mysql',
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: config.database,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    entities: schema.entities,
    migrations: schema.migrations,
  };
}
