import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { OutboxWriter } from '@fapiao/platform/messaging';
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
import { applyTransition, insertSaga, loadSaga, sagaHistory, stateBeforeAttention } from './saga.store';
import type {
  AdvanceSaga,
  OperatorAction,
  SagaContext,
  SagaDefinition,
  SagaHistoryEntry,
  SagaInstance,
  StartResult,
  StartSaga,
} from './saga.types';

/**
 * Durable saga orchestration. Every method works in the caller's transaction (the one handling the
 * reply event), so a transition, its history row and the commands it sends through the outbox commit
 * or roll back together. Transitions are optimistic: a saga changed since it was loaded is refused with
 * SAGA.CONCURRENT_UPDATE (retriable); load it with `forUpdate` to queue behind other writers instead.
 */
@Injectable()
export class SagaEngine {
  private readonly definitions = new Map<string, SagaDefinition<unknown>>();
  private readonly metrics = new SagaTransitionMetrics();

  constructor(
    dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(SAGA_CONFIG) private readonly config: SagaConfig,
  ) {
    dataSource.subscribers.push(this.metrics);
  }

  /** Called by the owning service at boot (onModuleInit), before the sweeper's first run. */
  register<D>(definition: SagaDefinition<D>): void {
    if (this.definitions.has(definition.type)) {
      throw new Error(`A saga definition for type ${definition.type} is already registered`);
    }
    this.definitions.set(definition.type, definition as unknown as SagaDefinition<unknown>);
  }

  registeredTypes(): string[] {
    return [...this.definitions.keys()];
  }

  /** Idempotent: starting an existing id (same type and tenant) returns it unchanged with `created: false`. */
  async start<D>(manager: EntityManager, init: StartSaga<D>): Promise<StartResult<D>> {
    const runner = requireTransaction(manager, 'start');
    this.definition(init.type); // a saga nobody can time out or compensate must not start
    const transition = startSaga(init, new Date());
    if (await insertSaga(manager, transition)) {
      this.metrics.record(runner, transition.saga);
      return { saga: transition.saga, created: true };
    }
    // A locking read sees the committed row even when our snapshot predates it.
    const existing = await loadSaga<D>(manager, init.id, true);
    if (!existing) throw SagaErrors.concurrentUpdate(init.id);
    if (existing.type !== init.type || existing.tenantId !== init.tenantId)
      throw SagaErrors.idConflict(init.id);
    return { saga: existing, created: false };
  }

  load<D>(
    manager: EntityManager,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<SagaInstance<D> | null> {
    return loadSaga<D>(manager, id, options.forUpdate);
  }

  history(manager: EntityManager, id: string): Promise<SagaHistoryEntry[]> {
    return sagaHistory(manager, id);
  }

  /** The current step succeeded: move to the next one, pushing the undo action of the step just done. */
  advance<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    change: AdvanceSaga<D>,
  ): Promise<SagaInstance<D>> {
    return this.apply(manager, saga, () => advanceSaga(saga, change, new Date()));
  }

  complete<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    change: { data?: D; note?: string } = {},
  ): Promise<SagaInstance<D>> {
    return this.apply(manager, saga, () => completeSaga(saga, change, new Date()));
  }

  /**
   * Gives up on the forward path. With compensations to run the saga becomes COMPENSATING and the
   * sweeper unwinds the stack, one compensation per transaction; without, it ends COMPENSATED here and
   * `onCompensated` runs in this transaction.
   */
  fail<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    reason: string,
    change: { data?: D } = {},
  ): Promise<SagaInstance<D>> {
    return this.failAt(manager, saga, reason, new Date(), change.data);
  }

  /** Operator: NEEDS_ATTENTION → back where it stopped (RUNNING or COMPENSATING), attempts reset, due now. */
  async retry<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    action: OperatorAction,
  ): Promise<SagaInstance<D>> {
    const origin = await stateBeforeAttention(manager, saga.id);
    const resumeIn = origin === 'RUNNING' ? 'RUNNING' : 'COMPENSATING';
    return this.apply(manager, saga, () => retrySaga(saga, resumeIn, action, new Date()));
  }

  /** Operator: NEEDS_ATTENTION → RESOLVED, after fixing the problem by hand; the note goes to the history. */
  resolve<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    action: OperatorAction,
  ): Promise<SagaInstance<D>> {
    return this.apply(manager, saga, () => resolveSaga(saga, action, new Date()));
  }

  /**
   * Sweeper: handles one due saga it has claimed, in the claim's transaction. COMPENSATING runs the top
   * compensation and pops it; RUNNING asks the definition what to do about the expired step, or fails the
   * saga once the step has used up its attempts. Throws whatever the definition throws.
   */
  async processDue(manager: EntityManager, saga: SagaInstance, now: Date): Promise<SagaInstance> {
    const definition = this.definition(saga.type);
    const ctx = this.context(manager, now);
    if (saga.state === 'COMPENSATING') {
      const top = saga.compensations.at(-1);
      if (top) await definition.compensate(top, saga, ctx);
      const popped = await this.apply(manager, saga, () => compensationSucceeded(saga, now));
      if (popped.state === 'COMPENSATED') await definition.onCompensated?.(popped, ctx);
      return popped;
    }
    const maxStepAttempts = definition.maxStepAttempts ?? this.config.maxStepAttempts;
    const decision = stepAttemptsExhausted(saga, maxStepAttempts)
      ? { fail: `step ${saga.step} timed out ${maxStepAttempts} times` }
      : await definition.onStepTimeout(saga, ctx);
    if ('fail' in decision) return this.failAt(manager, saga, decision.fail, now);
    return this.apply(manager, saga, () => retryStep(saga, decision.retryInMs, maxStepAttempts, now));
  }

  /**
   * Sweeper: records that handling `claimed` threw, in a new transaction after the claim's was rolled
   * back. Returns null when the saga changed in between (another replica got to it): nothing to record.
   */
  async recordFailedAttempt(
    manager: EntityManager,
    claimed: SagaInstance,
    error: unknown,
    now: Date,
  ): Promise<SagaInstance | null> {
    const current = await loadSaga(manager, claimed.id, true);
    if (!current || current.version !== claimed.version) return null;
    const maxAttempts =
      current.state === 'COMPENSATING'
        ? this.config.maxCompensationAttempts
        : (this.definitions.get(current.type)?.maxStepAttempts ?? this.config.maxStepAttempts);
    return this.apply(manager, current, () =>
      attemptFailed(current, error, { maxAttempts, backoff: this.config.backoff }, now),
    );
  }

  private async failAt<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    reason: string,
    now: Date,
    data?: D,
  ): Promise<SagaInstance<D>> {
    const definition = this.definition<D>(saga.type);
    const failed = await this.apply(manager, saga, () => failSaga(saga, reason, now, data));
    if (failed.state === 'COMPENSATED') await definition.onCompensated?.(failed, this.context(manager, now));
    return failed;
  }

  private async apply<D>(
    manager: EntityManager,
    saga: SagaInstance<D>,
    transition: () => Transition<D>,
  ): Promise<SagaInstance<D>> {
    const runner = requireTransaction(manager, 'change');
    const next = await applyTransition(manager, saga, transition());
    this.metrics.record(runner, next);
    return next;
  }

  private definition<D>(type: string): SagaDefinition<D> {
    const definition = this.definitions.get(type);
    if (!definition) throw SagaErrors.unknownType(type);
    return definition as SagaDefinition<D>;
  }

  private context(manager: EntityManager, now: Date): SagaContext {
    return { manager, outbox: this.outbox, now };
  }
}

/** A transition and its history row are only atomic inside a transaction: refuse to half-write. */
function requireTransaction(manager: EntityManager, action: string): QueryRunner {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error(
      `SagaEngine cannot ${action} a saga outside a transaction: pass the transaction's EntityManager`,
    );
  }
  return runner;
}
