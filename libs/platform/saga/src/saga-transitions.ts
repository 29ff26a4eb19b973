import { z } from 'zod';
import { isDomainError } from '@fapiao/contracts';
import { zodFieldErrors } from '@fapiao/platform/http';
import type { BackoffPolicy } from './saga.config';
import { SagaErrors } from './saga.errors';
import {
  TERMINAL_STATES,
  type AdvanceSaga,
  type OperatorAction,
  type SagaEvent,
  type SagaInstance,
  type SagaState,
  type StartSaga,
} from './saga.types';

/**
 * Pure state machine of a saga: every function takes the current instance and returns the next one with
 * the history event that explains it. The engine persists a transition; nothing here touches the database.
 */
export interface Transition<D> {
  saga: SagaInstance<D>;
  event: SagaEvent;
  detail: string | null;
}

/** Error texts and notes are stored and shown to operators: bounded. */
const TEXT_LIMIT = 2_000;

const Name = z.string().min(1).max(100);
const CompensationSchema = z.object({ name: Name, payload: z.record(z.string(), z.unknown()) });
const StartSchema = z.object({
  type: Name,
  id: Name,
  tenantId: z.string().min(1).max(36),
  correlationId: Name,
  step: Name,
  deadlineMs: z.number().int().min(0).optional(),
  compensations: z.array(CompensationSchema).optional(),
});
const AdvanceSchema = z.object({
  step: Name,
  deadlineMs: z.number().int().min(0).nullable().optional(),
  pushCompensation: CompensationSchema.optional(),
  note: z.string().max(TEXT_LIMIT).optional(),
});

export function startSaga<D>(init: StartSaga<D>, now: Date): Transition<D> {
  validate(StartSchema, init);
  return {
    saga: {
      id: init.id,
      type: init.type,
      tenantId: init.tenantId,
      correlationId: init.correlationId,
      state: 'RUNNING',
      step: init.step,
      data: init.data,
      deadlineAt: init.deadlineMs === undefined ? null : after(now, init.deadlineMs),
      attempts: 0,
      version: 1,
      compensations: [...(init.compensations ?? [])],
      lastError: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    },
    event: 'started',
    detail: null,
  };
}

export function advanceSaga<D>(saga: SagaInstance<D>, change: AdvanceSaga<D>, now: Date): Transition<D> {
  requireState(saga, 'advance', ['RUNNING']);
  validate(AdvanceSchema, change);
  const deadlineAt =
    change.deadlineMs === undefined
      ? saga.deadlineAt
      : change.deadlineMs === null
        ? null
        : after(now, change.deadlineMs);
  return {
    saga: next(saga, now, {
      step: change.step,
      data: change.data === undefined ? saga.data : change.data,
      deadlineAt,
      // Expired deadlines count per step.
      attempts: change.step === saga.step ? saga.attempts : 0,
      compensations: change.pushCompensation
        ? [...saga.compensations, change.pushCompensation]
        : saga.compensations,
    }),
    event: 'advanced',
    detail: change.note ?? null,
  };
}

export function completeSaga<D>(
  saga: SagaInstance<D>,
  change: { data?: D; note?: string },
  now: Date,
): Transition<D> {
  requireState(saga, 'complete', ['RUNNING']);
  return {
    saga: next(saga, now, {
      state: 'COMPLETED',
      data: change.data === undefined ? saga.data : change.data,
    }),
    event: 'completed',
    detail: change.note === undefined ? null : bounded(change.note),
  };
}

/** Gives up on the forward path: unwinds the compensation stack, or ends COMPENSATED when it is empty. */
/** `data`, when given, replaces the saga's data in the same transition (e.g. why it failed, for the compensations). */
export function failSaga<D>(saga: SagaInstance<D>, reason: string, now: Date, data?: D): Transition<D> {
  requireState(saga, 'fail', ['RUNNING']);
  const lastError = bounded(reason);
  const patch: Partial<SagaInstance<D>> = {
    ...(data === undefined ? {} : { data }),
    ...(saga.compensations.length > 0
      ? { state: 'COMPENSATING', deadlineAt: now, attempts: 0, lastError }
      : { state: 'COMPENSATED', lastError }),
  };
  return { saga: next(saga, now, patch), event: 'failed', detail: lastError };
}

/** Whether an expired step has used up its attempts: then the saga fails instead of asking the definition. */
export function stepAttemptsExhausted(saga: SagaInstance<unknown>, maxStepAttempts: number): boolean {
  return saga.attempts + 1 >= maxStepAttempts;
}

export function retryStep<D>(
  saga: SagaInstance<D>,
  retryInMs: number,
  maxStepAttempts: number,
  now: Date,
): Transition<D> {
  requireState(saga, 'retry the step of', ['RUNNING']);
  const attempts = saga.attempts + 1;
  return {
    saga: next(saga, now, { attempts, deadlineAt: after(now, Math.max(0, retryInMs)) }),
    event: 'step_timed_out',
    detail: `deadline expired (attempt ${attemptOf(attempts, maxStepAttempts)}); retrying, next deadline in ${retryInMs} ms`,
  };
}

/** Pops the compensation that just succeeded: the next one is due at once. */
export function compensationSucceeded<D>(saga: SagaInstance<D>, now: Date): Transition<D> {
  requireState(saga, 'compensate', ['COMPENSATING']);
  const done = saga.compensations.at(-1);
  const rest = saga.compensations.slice(0, -1);
  const patch: Partial<SagaInstance<D>> =
    rest.length > 0
      ? { compensations: rest, attempts: 0, deadlineAt: now }
      : { compensations: rest, state: 'COMPENSATED' };
  return { saga: next(saga, now, patch), event: 'compensation_succeeded', detail: done?.name ?? null };
}

/**
 * A timed-out step's handler or the top compensation threw: try again after an exponential, jittered
 * backoff, or hand the saga to an operator once the attempts are used up.
 */
export function attemptFailed<D>(
  saga: SagaInstance<D>,
  error: unknown,
  limits: { maxAttempts: number; backoff: BackoffPolicy },
  now: Date,
  random: () => number = Math.random,
): Transition<D> {
  requireState(saga, 'record a failed attempt of', ['RUNNING', 'COMPENSATING']);
  const attempts = saga.attempts + 1;
  const lastError = errorText(error);
  const exhausted = attempts >= limits.maxAttempts;
  const patch: Partial<SagaInstance<D>> = exhausted
    ? { state: 'NEEDS_ATTENTION', attempts, lastError, deadlineAt: null }
    : { attempts, lastError, deadlineAt: after(now, backoffMs(attempts, limits.backoff, random)) };
  const what = saga.state === 'COMPENSATING' ? `${saga.compensations.at(-1)?.name} ` : '';
  return {
    saga: next(saga, now, patch),
    event: saga.state === 'COMPENSATING' ? 'compensation_failed' : 'step_timeout_failed',
    detail: bounded(`${what}attempt ${attemptOf(attempts, limits.maxAttempts)}: ${lastError}`),
  };
}

/** Operator: try again from where the saga stopped, with fresh attempts, due now. */
export function retrySaga<D>(
  saga: SagaInstance<D>,
  resumeIn: 'RUNNING' | 'COMPENSATING',
  action: OperatorAction,
  now: Date,
): Transition<D> {
  requireState(saga, 'retry', ['NEEDS_ATTENTION']);
  return {
    saga: next(saga, now, { state: resumeIn, attempts: 0, deadlineAt: now }),
    event: 'retried',
    detail: operatorDetail(action),
  };
}

/** Operator: the problem was fixed outside the system; the saga ends. */
export function resolveSaga<D>(saga: SagaInstance<D>, action: OperatorAction, now: Date): Transition<D> {
  requireState(saga, 'resolve', ['NEEDS_ATTENTION']);
  return { saga: next(saga, now, { state: 'RESOLVED' }), event: 'resolved', detail: operatorDetail(action) };
}

/** Exponential in the attempt number, capped, with "equal jitter": half fixed, half random, never zero. */
export function backoffMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

export function errorText(error: unknown): string {
  if (isDomainError(error)) return bounded(`${error.code}: ${error.message}`);
  return bounded(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

function next<D>(saga: SagaInstance<D>, now: Date, patch: Partial<SagaInstance<D>>): SagaInstance<D> {
  const updated: SagaInstance<D> = { ...saga, ...patch, version: saga.version + 1, updatedAt: now };
  if (TERMINAL_STATES.includes(updated.state)) {
    updated.deadlineAt = null;
    updated.completedAt = now;
  }
  return updated;
}

function requireState(saga: SagaInstance<unknown>, action: string, expected: readonly SagaState[]): void {
  if (!expected.includes(saga.state)) throw SagaErrors.invalidState(saga.id, action, saga.state, expected);
}

function validate(schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw SagaErrors.invalidArgument(zodFieldErrors(parsed.error));
}

function operatorDetail(action: OperatorAction): string {
  return bounded(action.note ? `by ${action.actor}: ${action.note}` : `by ${action.actor}`);
}

const attemptOf = (attempts: number, max: number): string =>
  Number.isFinite(max) ? `${attempts}/${max}` : String(attempts);

const after = (now: Date, ms: number): Date => new Date(now.getTime() + ms);

const bounded = (text: string): string =>
  text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text;
