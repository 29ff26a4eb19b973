import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { DeferredUpdates, insertRows, UnitOfWork } from '@fapiao/platform/persistence';
import { Clock } from '@fapiao/platform/resilience';
import { DeclaredSaga, type SagaDeclaration } from './declared-saga';
import { SagaHistoryEntity } from './saga-history.entity';
import { SagaInstanceEntity } from './saga-instance.entity';
import { SAGA_CONFIG, type SagaConfig } from './saga.config';
import { SagaErrors } from './saga.errors';
import { SagaTransitionMetrics } from './saga.metrics';
import {
  advanceSaga,
  attemptFailed,
  compensationSucceeded,
  completeSaga,
  failSaga,
  resolveSaga,
  retrySaga,
  retryStep,
  startSaga,
  stepAttemptsExhausted,
  type Transition,
} from './saga-transitions';
import {
  historyRow,
  insertSaga,
  listSagas,
  loadSaga,
  lockSagas,
  sagaHistory,
  stateBeforeAttention,
  toRow,
  type SagaFilter,
} from './saga.store';
import type {
  AdvanceSaga,
  OperatorAction,
  SagaDefinition,
  SagaHistoryEntry,
  SagaInstance,
  StartResult,
  StartSaga,
} from './saga.types';

const SAGA_HISTORY = Symbol('saga history');
/** Sagas started fresh in the unit of work, inserted in one statement when it commits. */
const NEW_SAGAS = Symbol('new sagas');
/** Saga rows locked ahead for a batch of messages (`lockAhead`), by id. */
const LOCKED_AHEAD = Symbol('sagas locked ahead');

/**
 * Durable saga orchestration. Every method works in the unit of work's transaction (the one handling the
 * reply event), so a transition, its history row and the commands it sends through the outbox commit
 * or roll back together. Transitions are optimistic: a saga changed since it was loaded is refused with
 * SAGA.CONCURRENT_UPDATE (retriable) when the unit of work commits; load it with `forUpdate` to queue behind
 * other writers instead. New sagas and transitions are written like the history, in a statement per kind
 * when the unit of work commits (or before it reads sagas), so a batch of messages writes them together.
 */
@Injectable()
export class SagaEngine {
  private readonly definitions = new Map<string, SagaDefinition<unknown>>();
  private readonly metrics = new SagaTransitionMetrics();
  /** Transitions, written in a statement for the unit of work's (see `apply`). */
  private readonly updates: DeferredUpdates<SagaInstanceEntity>;

  constructor(
    dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @Inject(SAGA_CONFIG) private readonly config: SagaConfig,
  ) {
    dataSource.subscribers.push(this.metrics);
    this.updates = new DeferredUpdates(unitOfWork, SagaInstanceEntity, (ids) =>
      SagaErrors.concurrentUpdate(ids.join(', ')),
    );
  }

  /** Called by the owning service at boot (onModuleInit), before the sweeper's first run. */
  register<D>(definition: SagaDefinition<D>): void {
    if (this.definitions.has(definition.type)) {
      throw new Error(`A saga definition for type ${definition.type} is already registered`);
    }
    this.definitions.set(definition.type, definition as unknown as SagaDefinition<unknown>);
  }

  /** Registers a saga type written as a step table (see DeclaredSaga), and returns it to drive its sagas. */
  declare<D, S extends string>(declaration: SagaDeclaration<D, S>): DeclaredSaga<D, S> {
    return new DeclaredSaga(this, declaration);
  }

  registeredTypes(): string[] {
    return [...this.definitions.keys()];
  }

  /**
   * Idempotent: starting an existing id (same type and tenant) returns it unchanged with `created: false`.
   * A `fresh` id cannot exist: its row waits for the unit of work's end, with the other new sagas.
   */
  async start<D>(init: StartSaga<D>): Promise<StartResult<D>> {
    const manager = this.unitOfWork.transactional('SagaEngine.start');
    const runner = requireTransaction(manager, 'start');
    this.definition(init.type); // a saga nobody can time out or compensate must not start
    const transition = startSaga(init, this.clock.now());
    this.unitOfWork.forget(LOCKED_AHEAD, init.id);
    if (init.fresh) this.unitOfWork.batched(NEW_SAGAS, toRow(transition.saga), this.insertSagas);
    else if (!(await insertSaga(manager, transition))) {
      // A locking read sees the committed row even when our snapshot predates it.
      const existing = await loadSaga<D>(manager, init.id, true);
      if (!existing) throw SagaErrors.concurrentUpdate(init.id);
      if (existing.type !== init.type || existing.tenantId !== init.tenantId)
        throw SagaErrors.idConflict(init.id);
      return { saga: existing, created: false };
    }
    this.record(historyRow(null, transition));
    this.metrics.record(runner, transition.saga);
    return { saga: transition.saga, created: true };
  }

  async load<D>(id: string, options: { forUpdate?: boolean } = {}): Promise<SagaInstance<D> | null> {
    if (options.forUpdate) {
      const locked = this.unitOfWork.recall<SagaInstance<D>>(LOCKED_AHEAD, id);
      if (locked !== undefined) return locked;
    }
    await this.writePending();
    return loadSaga<D>(this.unitOfWork.manager(), id, options.forUpdate);
  }

  /**
   * A batch's sagas locked in one statement (in the unit of work's transaction, so held until it ends):
   * the first locking `load` of each in the unit of work takes it from there.
   */
  async lockAhead(ids: string[]): Promise<void> {
    const manager = this.unitOfWork.transactional('SagaEngine.lockAhead');
    await this.writePending();
    const locked = new Map((await lockSagas(manager, ids)).map((saga) => [saga.id, saga]));
    this.unitOfWork.remember(
      LOCKED_AHEAD,
      ids.map((id) => [id, locked.get(id) ?? null] as const),
    );
  }

  /** A tenant's sagas, most recently changed first. */
  async list(tenantId: string, filter: SagaFilter): Promise<{ items: SagaInstance[]; total: number }> {
    await this.writePending();
    return listSagas(this.unitOfWork.manager(), tenantId, filter);
  }

  async history(id: string): Promise<SagaHistoryEntry[]> {
    await this.writePending();
    await this.unitOfWork.flush(SAGA_HISTORY);
    return sagaHistory(this.unitOfWork.manager(), id);
  }

  /** The current step succeeded: move to the next one, pushing the undo action of the step just done. */
  advance<D>(saga: SagaInstance<D>, change: AdvanceSaga<D>): Promise<SagaInstance<D>> {
    return this.apply(saga, () => advanceSaga(saga, change, this.clock.now()));
  }

  complete<D>(saga: SagaInstance<D>, change: { data?: D; note?: string } = {}): Promise<SagaInstance<D>> {
    return this.apply(saga, () => completeSaga(saga, change, this.clock.now()));
  }

  /**
   * Gives up on the forward path. With compensations to run the saga becomes COMPENSATING and the
   * sweeper unwinds the stack, one compensation per transaction; without, it ends COMPENSATED here and
   * `onCompensated` runs in this transaction.
   */
  fail<D>(saga: SagaInstance<D>, reason: string, change: { data?: D } = {}): Promise<SagaInstance<D>> {
    return this.failAt(saga, reason, this.clock.now(), change.data);
  }

  /** Operator: NEEDS_ATTENTION → back where it stopped (RUNNING or COMPENSATING), attempts reset, due now. */
  async retry<D>(saga: SagaInstance<D>, action: OperatorAction): Promise<SagaInstance<D>> {
    await this.unitOfWork.flush(SAGA_HISTORY);
    const origin = await stateBeforeAttention(this.unitOfWork.manager(), saga.id);
    const resumeIn = origin === 'RUNNING' ? 'RUNNING' : 'COMPENSATING';
    return this.apply(saga, () => retrySaga(saga, resumeIn, action, this.clock.now()));
  }

  /** Operator: NEEDS_ATTENTION → RESOLVED, after fixing the problem by hand; the note goes to the history. */
  resolve<D>(saga: SagaInstance<D>, action: OperatorAction): Promise<SagaInstance<D>> {
    return this.apply(saga, () => resolveSaga(saga, action, this.clock.now()));
  }

  /**
   * Sweeper: handles one due saga it has claimed, in the claim's transaction. COMPENSATING runs the top
   * compensation and pops it; RUNNING asks the definition what to do about the expired step, or fails the
   * saga once the step has used up its attempts. Throws whatever the definition throws.
   */
  async processDue(saga: SagaInstance, now: Date): Promise<SagaInstance> {
    const definition = this.definition(saga.type);
    const ctx = { now };
    if (saga.state === 'COMPENSATING') {
      const top = saga.compensations.at(-1);
      if (top) await definition.compensate(top, saga, ctx);
      const popped = await this.apply(saga, () => compensationSucceeded(saga, now));
      if (popped.state === 'COMPENSATED') await definition.onCompensated?.(popped, ctx);
      return popped;
    }
    const maxStepAttempts = definition.maxStepAttempts ?? this.config.maxStepAttempts;
    const decision = stepAttemptsExhausted(saga, maxStepAttempts)
      ? { fail: `step ${saga.step} timed out ${maxStepAttempts} times` }
      : await definition.onStepTimeout(saga, ctx);
    if ('fail' in decision) return this.failAt(saga, decision.fail, now);
    return this.apply(saga, () => retryStep(saga, decision.retryInMs, maxStepAttempts, now));
  }

  /**
   * Sweeper: records that handling `claimed` threw, in a new transaction after the claim's was rolled
   * back. Returns null when the saga changed in between (another replica got to it): nothing to record.
   */
  async recordFailedAttempt(claimed: SagaInstance, error: unknown, now: Date): Promise<SagaInstance | null> {
    await this.writePending();
    const current = await loadSaga(this.unitOfWork.manager(), claimed.id, true);
    if (!current || current.version !== claimed.version) return null;
    const maxAttempts =
      current.state === 'COMPENSATING'
        ? this.config.maxCompensationAttempts
        : (this.definitions.get(current.type)?.maxStepAttempts ?? this.config.maxStepAttempts);
    return this.apply(current, () =>
      attemptFailed(current, error, { maxAttempts, backoff: this.config.backoff }, now),
    );
  }

  private async failAt<D>(
    saga: SagaInstance<D>,
    reason: string,
    now: Date,
    data?: D,
  ): Promise<SagaInstance<D>> {
    const definition = this.definition<D>(saga.type);
    const failed = await this.apply(saga, () => failSaga(saga, reason, now, data));
    if (failed.state === 'COMPENSATED') await definition.onCompensated?.(failed, { now });
    return failed;
  }

  private async apply<D>(saga: SagaInstance<D>, transition: () => Transition<D>): Promise<SagaInstance<D>> {
    const manager = this.unitOfWork.transactional('SagaEngine: a transition');
    const runner = requireTransaction(manager, 'change');
    const change = transition();
    this.unitOfWork.forget(LOCKED_AHEAD, saga.id);
    const row = toRow(change.saga);
    // Started in this unit of work and not written yet: its one INSERT carries the change.
    const unwritten = this.unitOfWork
      .pending<SagaInstanceEntity>(NEW_SAGAS)
      .find((added) => added.id === row.id);
    if (unwritten) Object.assign(unwritten, row);
    else {
      const { id, createdAt: _createdAt, version: _version, ...changes } = row;
      this.updates.add({ id, version: saga.version }, changes);
    }
    this.record(historyRow(saga.state, change));
    this.metrics.record(runner, change.saga);
    return change.saga;
  }

  /** What the unit of work has not written yet of sagas: before a read of them, which must see it. */
  private async writePending(): Promise<void> {
    await this.unitOfWork.flush(NEW_SAGAS);
    await this.updates.flush();
  }

  private readonly insertSagas = (rows: SagaInstanceEntity[]) =>
    insertRows(this.unitOfWork.transactional('new sagas'), SagaInstanceEntity, rows);

  /** History rows go in one INSERT when the unit of work commits: a batch of messages writes many. */
  private record(row: SagaHistoryEntity): void {
    this.unitOfWork.batched(SAGA_HISTORY, row, this.insertHistory);
  }

  private readonly insertHistory = (rows: SagaHistoryEntity[]) =>
    insertRows(this.unitOfWork.transactional('saga history'), SagaHistoryEntity, rows);

  private definition<D>(type: string): SagaDefinition<D> {
    const definition = this.definitions.get(type);
    if (!definition) throw SagaErrors.unknownType(type);
    return definition as SagaDefinition<D>;
  }
}

/** A transition and its history row are only atomic inside a transaction: refuse to half-write. */
function requireTransaction(manager: EntityManager, action: string): QueryRunner {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error(
      `SagaEngine cannot ${action} a saga outside a transaction: call it inside UnitOfWork.run`,
    );
  }
  return runner;
}
