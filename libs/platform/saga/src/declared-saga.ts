import type { SagaEngine } from './saga.engine';
import type {
  Compensation,
  SagaContext,
  SagaDefinition,
  SagaInstance,
  StartResult,
  StepTimeoutDecision,
} from './saga.types';

/** One step of a flow, declared where the flow is written: its deadline, its re-send, its undo. */
export interface StepDeclaration<D> {
  /** How long the step waits for its answer; omitted: no deadline. */
  deadlineMs?: number;
  /** The deadline passed: re-send with the same idempotency data and wait again, or give up. */
  onTimeout?(saga: SagaInstance<D>, ctx: SagaContext): Promise<StepTimeoutDecision>;
  /**
   * Undoes the work done to reach this step; pushed on the compensation stack when the saga enters the
   * step. The name is persisted with the saga: renaming one strands the sagas that carry the old name.
   */
  compensation?: { name: string; run(saga: SagaInstance<D>, ctx: SagaContext): Promise<void> };
}

export interface SagaDeclaration<D, S extends string> {
  type: string;
  /** Overrides SAGA_MAX_STEP_ATTEMPTS; Infinity: never give up on an unanswered step. */
  maxStepAttempts?: number;
  steps: Record<S, StepDeclaration<D>>;
  /** Runs in the transaction that reaches COMPENSATED. */
  onCompensated?(saga: SagaInstance<D>, ctx: SagaContext): Promise<void>;
}

export interface StartDeclared<D, S extends string> {
  /** Chosen by the caller (e.g. the invoice id): a redelivered start finds the saga and changes nothing. */
  id: string;
  tenantId: string;
  correlationId: string;
  step: S;
  data: D;
  /** See StartSaga.fresh: an id made in this unit of work, its row written when it commits. */
  fresh?: boolean;
}

/**
 * A saga type from a step table: the engine's hooks (step timeout, compensation) dispatch on the table,
 * and starting or advancing takes the step's deadline and compensation from it, so a flow states each
 * once. Every method runs in the unit of work's transaction, like the engine's.
 */
export class DeclaredSaga<D, S extends string> implements SagaDefinition<D> {
  readonly type: string;
  readonly maxStepAttempts?: number;
  private readonly compensations = new Map<string, NonNullable<StepDeclaration<D>['compensation']>>();

  constructor(
    private readonly engine: SagaEngine,
    private readonly declaration: SagaDeclaration<D, S>,
  ) {
    this.type = declaration.type;
    this.maxStepAttempts = declaration.maxStepAttempts;
    for (const step of Object.values<StepDeclaration<D>>(declaration.steps)) {
      if (step.compensation) this.compensations.set(step.compensation.name, step.compensation);
    }
    engine.register(this);
  }

  start(init: StartDeclared<D, S>): Promise<StartResult<D>> {
    const step = this.declaration.steps[init.step];
    return this.engine.start({
      ...init,
      type: this.type,
      deadlineMs: step.deadlineMs,
      compensations: step.compensation ? [undo(step.compensation.name)] : [],
    });
  }

  /** The saga row, locked: load it before the aggregates it drives, the lock order everywhere. */
  async lock(id: string): Promise<SagaInstance<D> | null> {
    const saga = await this.engine.load<D>(id, { forUpdate: true });
    return saga?.type === this.type ? saga : null;
  }

  /** A batch's saga rows locked in one statement: each `lock` of one of them that follows takes its row. */
  lockAhead(ids: string[]): Promise<void> {
    return this.engine.lockAhead(ids);
  }

  advance(saga: SagaInstance<D>, to: S, change: { data?: D; note?: string } = {}): Promise<SagaInstance<D>> {
    const step = this.declaration.steps[to];
    return this.engine.advance(saga, {
      ...change,
      step: to,
      deadlineMs: step.deadlineMs ?? null,
      pushCompensation: step.compensation && undo(step.compensation.name),
    });
  }

  complete(saga: SagaInstance<D>, note: string): Promise<SagaInstance<D>> {
    return this.engine.complete(saga, { note });
  }

  /** Gives up on the forward path: the compensations on the stack run, newest first. */
  fail(saga: SagaInstance<D>, reason: string, data?: D): Promise<SagaInstance<D>> {
    return this.engine.fail(saga, reason, { data });
  }

  // The engine's hooks.

  async onStepTimeout(saga: SagaInstance<D>, ctx: SagaContext): Promise<StepTimeoutDecision> {
    const step = (this.declaration.steps as Record<string, StepDeclaration<D> | undefined>)[saga.step];
    if (!step?.onTimeout) throw new Error(`${this.type}: step ${saga.step} has no timeout handling`);
    return step.onTimeout(saga, ctx);
  }

  async compensate(compensation: Compensation, saga: SagaInstance<D>, ctx: SagaContext): Promise<void> {
    const declared = this.compensations.get(compensation.name);
    if (!declared) throw new Error(`${this.type}: unknown compensation ${compensation.name}`);
    return declared.run(saga, ctx);
  }

  async onCompensated(saga: SagaInstance<D>, ctx: SagaContext): Promise<void> {
    await this.declaration.onCompensated?.(saga, ctx);
  }
}

/** What the stack stores: the name only, the flow's data says what to undo. */
const undo = (name: string): Compensation => ({ name, payload: {} });
