import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@fapiao/platform/config';
import { dataSourceOptions, migrate, type SchemaDefinition } from '@fapiao/platform/persistence';

export interface TestDatabase {
  config: DatabaseConfig;
  dataSource: DataSource;
  /** Another pool on the same schema: what a second replica would have. */
  connect(): Promise<DataSource>;
  drop(): Promise<void>;
}

/** A throwaway schema on the test MariaDB (MYSQL_URL), migrated to `schema`; `drop()` removes it. */
export async function createTestDatabase(schema: SchemaDefinition, prefix: string): Promise<TestDatabase> {
  const url = new URL(process.env['MYSQL_URL'] || 'mysql://root@127.0.0.1:3306');
  const config: DatabaseConfig = {
    host: url.hostname,
    port: Number(url.port || 3306),
    socketPath: undefined,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: `${prefix}${randomBytes(5).toString('hex')}`,
    poolSize: 5,
    connectTimeoutMs: 3_000,
  };
  await migrate(config, schema);
  const sources: DataSource[] = [];
  const connect = async () => {
    const source = await new DataSource(dataSourceOptions(config, schema)).initialize();
    sources.push(source);
    return source;
  };
  const dataSource = await connect();
  return {
    config,
    dataSource,
    connect,
    drop: async () => {
      await Promise.all(sources.map((source) => source.destroy()));
      await dropDatabase(config);
    },
  };
}

/** Drops the database `config` names, if it exists (what an integration spec created). */
export async function dropDatabase(config: DatabaseConfig): Promise<void> {
  const connection = await createConnection({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
  } finally {
    await connection.end();
  }
}
