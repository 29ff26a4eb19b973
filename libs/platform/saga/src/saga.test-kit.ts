// Shared by this library's integration specs: a throwaway MySQL schema with the saga and outbox tables.
import type { DataSource } from 'typeorm';
import { MESSAGING_SCHEMA, OutboxMessageEntity, OutboxWriter } from '@fapiao/platform/messaging';
import { UnitOfWork, type SchemaDefinition } from '@fapiao/platform/persistence';
import { createTestDatabase, FakeClock } from '@fapiao/testing';
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

export const createSagaTestDatabase = () => createTestDatabase(TEST_SCHEMA, 'it_saga_');

/** Engine and sweeper on a fake clock: a test moves time forward instead of waiting for deadlines. */
export function sagaKit(
  dataSource: DataSource,
  clock = new FakeClock(),
  config: SagaConfig = TEST_SAGA_CONFIG,
) {
  const unitOfWork = new UnitOfWork(dataSource);
  const outbox = new OutboxWriter(unitOfWork, { outboxMaxMessageBytes: 1_000_000 });
  const engine = new SagaEngine(dataSource, unitOfWork, clock, config);
  const timer = new SagaTimer(engine, unitOfWork, clock, config);
  return { clock, unitOfWork, outbox, engine, timer };
}

/** Loads a saga the test knows exists, locked for update. */
export async function lockSaga<D>(engine: SagaEngine, id: string): Promise<SagaInstance<D>> {
  const saga = await engine.load<D>(id, { forUpdate: true });
  if (!saga) throw new Error(`saga ${id} does not exist`);
  return saga;
}

export const outboxCount = (dataSource: DataSource, key: string): Promise<number> =>
  dataSource.manager.countBy(OutboxMessageEntity, { messageKey: key });

/** Long enough that every deadline and backoff of a test has passed. */
export const AN_HOUR = 3_600_000;
