export const SAGA_STATES = [
  'RUNNING',
  'COMPENSATING',
  'COMPLETED',
  'COMPENSATED',
  'NEEDS_ATTENTION',
  'RESOLVED',
] as const;
export type SagaState = (typeof SAGA_STATES)[number];

/** States a saga never leaves. */
export const TERMINAL_STATES: readonly SagaState[] = ['COMPLETED', 'COMPENSATED', 'RESOLVED'];

/** What a history row says happened; `to_state` says where it led. */
export const SAGA_EVENTS = [
  'started',
  'advanced',
  'completed',
  'failed',
  'step_timed_out',
  'step_timeout_failed',
  'compensation_succeeded',
  'compensation_failed',
  'retried',
  'resolved',
] as const;
export type SagaEvent = (typeof SAGA_EVENTS)[number];

/** How to undo one completed step: a name the definition dispatches on, and what it needs (JSON). */
export interface Compensation {
  name: string;
  payload: Record<string, unknown>;
}

/** One saga row. `data` and compensation payloads go through JSON: keep them plain JSON values. */
export interface SagaInstance<D = unknown> {
  id: string;
  type: string;
  tenantId: string;
  correlationId: string;
  state: SagaState;
  step: string;
  data: D;
  /**
   * RUNNING: the current step's deadline (null: none). COMPENSATING: when the top compensation is due.
   * Null in every other state.
   */
  deadlineAt: Date | null;
  /** RUNNING: deadlines of the current step that expired. COMPENSATING: failures of the top compensation. */
  attempts: number;
  /** Optimistic lock: every transition increments it and writes the history row with seq = version. */
  version: number;
  /** A stack: the last element is undone first. */
  compensations: readonly Compensation[];
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export interface SagaHistoryEntry {
  /** The saga version this transition produced. */
  seq: number;
  at: Date;
  fromState: SagaState | null;
  toState: SagaState;
  step: string;
  event: SagaEvent;
  detail: string | null;
}

/** What a definition's hooks run with; they run in the transition's unit of work, so their outbox rows commit with it. */
export interface SagaContext {
  now: Date;
}

export type StepTimeoutDecision = { retryInMs: number } | { fail: string };

/** The behaviour of one saga type; the owning service registers it with the engine at boot. */
export interface SagaDefinition<D = unknown> {
  type: string;
  /** Overrides SAGA_MAX_STEP_ATTEMPTS for this type; Infinity: never give up on an unanswered step. */
  maxStepAttempts?: number;
  /**
   * A RUNNING saga's step deadline passed: re-send the step's command with the same idempotency data
   * (e.g. the same submission serial) and ask for a new deadline, or give up and compensate.
   * Throwing counts as a failed attempt, retried with backoff.
   */
  onStepTimeout(saga: SagaInstance<D>, ctx: SagaContext): Promise<StepTimeoutDecision>;
  /** Undoes one completed step. Throw to have it retried later; the error is recorded, never swallowed. */
  compensate(compensation: Compensation, saga: SagaInstance<D>, ctx: SagaContext): Promise<void>;
  /** Runs in the transaction that reaches COMPENSATED, e.g. to emit the rejection event. */
  onCompensated?(saga: SagaInstance<D>, ctx: SagaContext): Promise<void>;
}

export interface StartSaga<D> {
  type: string;
  /**
   * Chosen by the caller (e.g. the invoice id): starting an existing id returns that saga unchanged with
   * `created: false`, so a redelivered start is harmless.
   */
  id: string;
  tenantId: string;
  correlationId: string;
  step: string;
  data: D;
  /** The first step's deadline from now; omitted: no deadline. */
  deadlineMs?: number;
  /** Undo actions for work done in the starting transaction, bottom of the stack first. */
  compensations?: Compensation[];
  /**
   * The id was made for this saga in this unit of work (a new invoice's or reversal's), so no saga can
   * hold it: its row is written with the unit of work's other new sagas when it commits, instead of an
   * INSERT now that finds out whether it exists.
   */
  fresh?: boolean;
}

export interface StartResult<D> {
  saga: SagaInstance<D>;
  /** False when the id already existed: the caller must not repeat the start's side effects. */
  created: boolean;
}

export interface AdvanceSaga<D> {
  step: string;
  /** Replaces the data; omitted: unchanged. */
  data?: D;
  /** The deadline from now; null: none; omitted: unchanged. */
  deadlineMs?: number | null;
  /** Undo action for the step that just completed. */
  pushCompensation?: Compensation;
  note?: string;
}

/** Who did an operator action, and why: written to the history. */
export interface OperatorAction {
  actor: string;
  note?: string;
}
