import type { EntityManager } from 'typeorm';
import { insertRows, isDuplicateEntry, selectRows } from '@fapiao/platform/persistence';
import { SagaHistoryEntity } from './saga-history.entity';
import { SagaInstanceEntity } from './saga-instance.entity';
import type { Transition } from './saga-transitions';
import type { SagaHistoryEntry, SagaInstance, SagaState } from './saga.types';

/** Persistence of saga rows and their history; every write runs in the caller's transaction. */

/** Inserts a new saga; false when the id is taken. Its history row is the caller's (`historyRow`). */
export async function insertSaga(manager: EntityManager, transition: Transition<unknown>): Promise<boolean> {
  try {
    await insertRows(manager, SagaInstanceEntity, [toRow(transition.saga)]);
  } catch (error) {
    if (isDuplicateEntry(error)) return false;
    throw error;
  }
  return true;
}

export async function loadSaga<D>(
  manager: EntityManager,
  id: string,
  forUpdate = false,
): Promise<SagaInstance<D> | null> {
  const [row] = await selectRows(
    manager,
    SagaInstanceEntity,
    `SELECT * FROM saga_instances WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row ? toInstance<D>(row) : null;
}

/** Several sagas in one statement, locked until the caller's transaction ends. */
export async function lockSagas<D>(manager: EntityManager, ids: string[]): Promise<SagaInstance<D>[]> {
  if (ids.length === 0) return [];
  const rows = await selectRows(
    manager,
    SagaInstanceEntity,
    'SELECT * FROM saga_instances WHERE id IN (?) FOR UPDATE',
    [ids],
  );
  return rows.map((row) => toInstance<D>(row));
}

/**
 * Claims the most overdue saga in `state`: the row stays locked until the caller's transaction ends,
 * and rows other sweepers hold are skipped rather than waited for (MySQL 8, MariaDB ≥ 10.6).
 */
export async function claimDueSaga(
  manager: EntityManager,
  state: 'RUNNING' | 'COMPENSATING',
  now: Date,
): Promise<SagaInstance | null> {
  const row = await manager
    .createQueryBuilder(SagaInstanceEntity, 's')
    .where('s.state = :state AND s.deadlineAt <= :now', { state, now })
    .orderBy('s.deadlineAt', 'ASC')
    .limit(1)
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getOne();
  return row ? toInstance(row) : null;
}

export async function sagaHistory(manager: EntityManager, id: string): Promise<SagaHistoryEntry[]> {
  const rows = await manager.find(SagaHistoryEntity, { where: { sagaId: id }, order: { seq: 'ASC' } });
  return rows.map(({ sagaId: _sagaId, ...entry }) => entry);
}

/** The state a NEEDS_ATTENTION saga came from: where an operator's retry resumes it. */
export async function stateBeforeAttention(manager: EntityManager, id: string): Promise<SagaState | null> {
  const row = await manager.findOne(SagaHistoryEntity, {
    where: { sagaId: id, toState: 'NEEDS_ATTENTION' },
    order: { seq: 'DESC' },
  });
  return row?.fromState ?? null;
}

export interface SagaFilter {
  state?: SagaState;
  type?: string;
  correlationId?: string;
  page: number;
  pageSize: number;
}

export async function listSagas(
  manager: EntityManager,
  tenantId: string,
  filter: SagaFilter,
): Promise<{ items: SagaInstance[]; total: number }> {
  const [rows, total] = await manager.findAndCount(SagaInstanceEntity, {
    where: {
      tenantId,
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.correlationId ? { correlationId: filter.correlationId } : {}),
    },
    order: { updatedAt: 'DESC', id: 'DESC' },
    skip: (filter.page - 1) * filter.pageSize,
    take: filter.pageSize,
  });
  return { items: rows.map((row) => toInstance(row)), total };
}

export async function countNeedingAttention(manager: EntityManager): Promise<Map<string, number>> {
  const rows = await manager
    .createQueryBuilder(SagaInstanceEntity, 's')
    .select('s.type', 'type')
    .addSelect('COUNT(*)', 'count')
    .where('s.state = :state', { state: 'NEEDS_ATTENTION' })
    .groupBy('s.type')
    .getRawMany<{ type: string; count: string | number }>();
  return new Map(rows.map((row) => [row.type, Number(row.count)]));
}

/** The history row of a transition: `seq` is the version it produced. */
export function historyRow(
  fromState: SagaState | null,
  { saga, event, detail }: Transition<unknown>,
): SagaHistoryEntity {
  return {
    sagaId: saga.id,
    seq: saga.version,
    at: saga.updatedAt,
    fromState,
    toState: saga.state,
    step: saga.step,
    event,
    detail,
  };
}

export function toRow(saga: SagaInstance<unknown>): SagaInstanceEntity {
  return {
    ...saga,
    data: JSON.stringify(saga.data ?? null),
    compensations: JSON.stringify(saga.compensations),
  };
}

function toInstance<D>(row: SagaInstanceEntity): SagaInstance<D> {
  return {
    ...row,
    data: JSON.parse(row.data) as D,
    compensations: JSON.parse(row.compensations) as SagaInstance['compensations'],
  };
}
