import { Counter, Gauge, Histogram } from 'prom-client';
import type {
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { TERMINAL_STATES, type SagaInstance } from './saga.types';

export const sagaDuration = new Histogram({
  name: 'fapiao_saga_duration_seconds',
  help: 'Time from start to a terminal state, by saga type and outcome (completed, compensated, resolved)',
  labelNames: ['type', 'outcome'],
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600],
});

export const sagaTransitions = new Counter({
  name: 'fapiao_saga_transitions_total',
  help: 'Committed saga transitions, by saga type and the state they led to',
  labelNames: ['type', 'to_state'],
});

export const sagasNeedingAttention = new Gauge({
  name: 'fapiao_sagas_needing_attention',
  help: 'Sagas waiting for an operator (NEEDS_ATTENTION), by type; refreshed by the saga sweeper',
  labelNames: ['type'],
});

/**
 * Observes transitions once their transaction commits: a transition that was rolled back (a lost race,
 * a failed compensation) never happened and is not counted. Registered as a TypeORM subscriber.
 */
export class SagaTransitionMetrics implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, SagaInstance[]>();

  record(runner: QueryRunner, saga: SagaInstance<unknown>): void {
    const list = this.pending.get(runner) ?? [];
    list.push(saga);
    this.pending.set(runner, list);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // Releasing a savepoint also "commits": wait for the outermost transaction.
    if (queryRunner.isTransactionActive) return;
    const list = this.pending.get(queryRunner);
    this.pending.delete(queryRunner);
    list?.forEach(observe);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    // A rollback to a savepoint keeps what was recorded before it; rare enough to overcount.
    if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
  }
}

function observe(saga: SagaInstance<unknown>): void {
  sagaTransitions.inc({ type: saga.type, to_state: saga.state });
  if (TERMINAL_STATES.includes(saga.state)) {
    const seconds = (saga.updatedAt.getTime() - saga.createdAt.getTime()) / 1000;
    sagaDuration.observe({ type: saga.type, outcome: saga.state.toLowerCase() }, seconds);
  }
}
