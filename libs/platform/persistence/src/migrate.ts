import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig, type ServiceIdentity } from '@fapiao/platform/config';
import { dataSourceOptions, type SchemaDefinition } from './data-source-options';

/** Creates the service's schema when missing; the service's DB user needs CREATE only on first install. */
export async function ensureDatabase(config: DatabaseConfig): Promise<void> {
  const connection = await createConnection({
    ...(config.socketPath ? { socketPath: config.socketPath } : { host: config.host, port: config.port }),
    user: config.user,
    password: config.password,
    connectTimeout: config.connectTimeoutMs,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

/** Applies pending migrations; returns the names applied. Safe to run concurrently (MySQL DDL + lock). */
export async function migrate(config: DatabaseConfig, schema: SchemaDefinition): Promise<string[]> {
  await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, schema)).initialize();
  // Several replicas may run their migration job at once: serialize on a named lock held by one connection.
  const lockHolder = dataSource.createQueryRunner();
  const lock = `fapiao_migrate_${config.database}`;
  try {
    await lockHolder.query('SELECT GET_LOCK(?, 120)', [lock]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lockHolder.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    await lockHolder.release();
    await dataSource.destroy();
  }
}

/** Entry point of each service's `migrate.js` (Helm pre-install/pre-upgrade hook, dev supervisor). */
export async function runMigrationCli(service: ServiceIdentity, schema: SchemaDefinition): Promise<void> {
  try {
    const config = databaseConfig(service).read();
    const applied = await migrate(config, schema);
    console.log(`${service.name}: ${applied.length} migration(s) applied to ${config.database}`);
    process.exit(0);
  } catch (error) {
    console.error(
      `${service.name}: migration failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
}
