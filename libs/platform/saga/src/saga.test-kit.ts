// Shared by this library's integration specs: a throwaway MySQL schema with the saga and outbox tables.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource, type EntityManager } from 'typeorm';
import type { DatabaseConfig } from '@fapiao/platform/config';
import { MESSAGING_SCHEMA, OutboxMessageEntity, OutboxWriter } from '@fapiao/platform/messaging';
import { dataSourceOptions, migrate, type SchemaDefinition } from '@fapiao/platform/persistence';
import type { SagaConfig } from './saga.config';
import { SagaEngine } from './saga.engine';
import { SagaTimer } from './saga.timer';
import type { SagaInstance } from './saga.types';
import { SAGA_SCHEMA } from './schema';

export const TEST_SCHEMA: SchemaDefinition = {
  entities: [...SAGA_SCHEMA.entities, ...MESSAGING_SCHEMA.entities],
  migrations: [...MESSAGING_SCHEMA.migrations, ...SAGA_SCHEMA.migrations],
};

/** Small limits and millisecond backoffs, so a test reaches NEEDS_ATTENTION in a few sweeps. */
export const TEST_SAGA_CONFIG: SagaConfig = {
  sweepIntervalMs: 20,
  sweepBatchSize: 100,
  maxStepAttempts: 3,
  maxCompensationAttempts: 3,
  backoff: { baseMs: 1, capMs: 5 },
};

export interface TestDatabase {
  config: DatabaseConfig;
  dataSource: DataSource;
  /** Another pool on the same schema: what a second replica would have. */
  connect(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = new URL(process.env['MYSQL_URL'] || 'mysql://root@127.0.0.1:3306');
  const config: DatabaseConfig = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: `it_saga_${randomBytes(5).toString('hex')}`,
    poolSize: 5,
    connectTimeoutMs: 3_000,
  };
  await migrate(config, TEST_SCHEMA);
  const sources: DataSource[] = [];
  const connect = async () => {
    const source = await new DataSource(dataSourceOptions(config, TEST_SCHEMA)).initialize();
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
    },
  };
}

export function sagaKit(dataSource: DataSource, config: SagaConfig = TEST_SAGA_CONFIG) {
  const outbox = new OutboxWriter();
  const engine = new SagaEngine(dataSource, outbox, config);
  const timer = new SagaTimer(engine, dataSource, outbox, config);
  return { outbox, engine, timer };
}

/** Loads a saga the test knows exists, locked for update. */
export async function lockSaga<D>(
  engine: SagaEngine,
  manager: EntityManager,
  id: string,
): Promise<SagaInstance<D>> {
  const saga = await engine.load<D>(manager, id, { forUpdate: true });
  if (!saga) throw new Error(`saga ${id} does not exist`);
  return saga;
}

export const outboxCount = (dataSource: DataSource, key: string): Promise<number> =>
  dataSource.manager.countBy(OutboxMessageEntity, { messageKey: key });

/** Far enough in the future that every deadline and backoff of a test has passed. */
export const later = (hours: number): Date => new Date(Date.now() + hours * 3_600_000);
