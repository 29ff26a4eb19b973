import { isDomainError } from '@fapiao/contracts';
import { sagaConfig } from './saga.config';
import {
  advanceSaga,
  attemptFailed,
  backoffMs,
  compensationSucceeded,
  completeSaga,
  failSaga,
  resolveSaga,
  retrySaga,
  retryStep,
  startSaga,
  stepAttemptsExhausted,
} from './saga-transitions';
import type { SagaInstance } from './saga.types';

const T0 = new Date('2025-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const limits = { maxAttempts: 3, backoff: { baseMs: 100, capMs: 1_000 } };
const undo = (name: string) => ({ name, payload: { name } });

const running = (overrides: Partial<SagaInstance<{ n: number }>> = {}): SagaInstance<{ n: number }> => ({
  ...startSaga(
    {
      type: 't',
      id: 's1',
      tenantId: 'tenant',
      correlationId: 'c',
      step: 'A',
      data: { n: 1 },
      deadlineMs: 1_000,
    },
    T0,
  ).saga,
  ...overrides,
});

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
};

describe('saga transitions', () => {
  it('starts RUNNING at version 1 with the first deadline and the given compensations', () => {
    const { saga, event } = startSaga(
      {
        type: 't',
        id: 's1',
        tenantId: 'x',
        correlationId: 'c',
        step: 'A',
        data: {},
        compensations: [undo('a')],
      },
      T0,
    );
    expect(event).toBe('started');
    expect(saga).toMatchObject({
      state: 'RUNNING',
      version: 1,
      attempts: 0,
      deadlineAt: null,
      completedAt: null,
    });
    expect(saga.compensations).toEqual([undo('a')]);
    expect(running().deadlineAt).toEqual(at(1_000));
  });

  it('refuses malformed starts and advances with field errors', () => {
    expect(
      codeOf(() =>
        startSaga({ type: 't', id: '', tenantId: 'x', correlationId: 'c', step: 'A', data: {} }, T0),
      ),
    ).toBe('SAGA.INVALID_ARGUMENT');
    expect(codeOf(() => advanceSaga(running(), { step: 'B', deadlineMs: -1 }, T0))).toBe(
      'SAGA.INVALID_ARGUMENT',
    );
  });

  it('advances: pushes on top of the stack, resets attempts on a new step, bumps the version', () => {
    const saga = running({ attempts: 2, compensations: [undo('a')] });
    const { saga: next, detail } = advanceSaga(
      saga,
      { step: 'B', data: { n: 2 }, deadlineMs: 500, pushCompensation: undo('b'), note: 'sent' },
      at(10),
    );
    expect(next).toMatchObject({ step: 'B', data: { n: 2 }, attempts: 0, version: 2, deadlineAt: at(510) });
    expect(next.compensations.map((c) => c.name)).toEqual(['a', 'b']);
    expect(detail).toBe('sent');
    expect(saga.version).toBe(1);
  });

  it('keeps deadline, data and attempts when omitted on the same step; null clears the deadline', () => {
    const saga = running({ attempts: 2 });
    expect(advanceSaga(saga, { step: 'A' }, at(10)).saga).toMatchObject({
      attempts: 2,
      deadlineAt: at(1_000),
      data: { n: 1 },
    });
    expect(advanceSaga(saga, { step: 'A', deadlineMs: null }, at(10)).saga.deadlineAt).toBeNull();
  });

  it('completes only a RUNNING saga, which ends with completedAt and no deadline', () => {
    const { saga } = completeSaga(running(), { note: 'ok' }, at(5));
    expect(saga).toMatchObject({ state: 'COMPLETED', deadlineAt: null, completedAt: at(5) });
    expect(codeOf(() => completeSaga(saga, {}, at(6)))).toBe('SAGA.INVALID_STATE');
    expect(codeOf(() => advanceSaga(saga, { step: 'B' }, at(6)))).toBe('SAGA.INVALID_STATE');
  });

  it('fails into COMPENSATING due now, or straight to COMPENSATED with an empty stack', () => {
    const compensating = failSaga(
      running({ compensations: [undo('a')], attempts: 2 }),
      'rejected',
      at(5),
    ).saga;
    expect(compensating).toMatchObject({
      state: 'COMPENSATING',
      deadlineAt: at(5),
      attempts: 0,
      lastError: 'rejected',
    });
    const compensated = failSaga(running(), 'rejected', at(5)).saga;
    expect(compensated).toMatchObject({ state: 'COMPENSATED', completedAt: at(5), lastError: 'rejected' });
    expect(codeOf(() => failSaga(compensating, 'again', at(6)))).toBe('SAGA.INVALID_STATE');
  });

  it('records why it failed in the data of the same transition, for the compensations', () => {
    const failed = failSaga(running({ compensations: [undo('a')] }), 'NO: no', at(5), { n: 2 });
    expect(failed.saga.data).toEqual({ n: 2 });
    expect(failSaga(running(), 'x', at(5)).saga.data).toEqual(running().data);
  });

  it('unwinds the compensation stack last-in first-out', () => {
    let saga = failSaga(running({ compensations: [undo('a'), undo('b')] }), 'x', T0).saga;
    const popped: (string | null)[] = [];
    while (saga.state === 'COMPENSATING') {
      const transition = compensationSucceeded(saga, at(1));
      popped.push(transition.detail);
      saga = transition.saga;
    }
    expect(popped).toEqual(['b', 'a']);
    expect(saga).toMatchObject({ state: 'COMPENSATED', compensations: [], completedAt: at(1) });
  });

  it('backs off a failed compensation, then hands it to an operator after the last attempt', () => {
    let saga = failSaga(running({ compensations: [undo('a')] }), 'x', T0).saga;
    saga = attemptFailed(saga, new Error('db down'), limits, at(0), () => 0).saga;
    expect(saga).toMatchObject({
      state: 'COMPENSATING',
      attempts: 1,
      lastError: 'Error: db down',
      deadlineAt: at(50),
    });
    const second = attemptFailed(saga, new Error('db down'), limits, at(0), () => 0);
    expect(second.detail).toBe('a attempt 2/3: Error: db down');
    const third = attemptFailed(second.saga, new Error('still'), limits, at(0));
    expect(third).toMatchObject({ event: 'compensation_failed' });
    expect(third.saga).toMatchObject({
      state: 'NEEDS_ATTENTION',
      attempts: 3,
      deadlineAt: null,
      completedAt: null,
    });
    expect(third.saga.compensations).toEqual([undo('a')]);
  });

  it('retries an expired step until its attempts are used up', () => {
    let saga = running();
    expect(stepAttemptsExhausted(saga, 3)).toBe(false);
    saga = retryStep(saga, 2_000, 3, at(1_000)).saga;
    expect(saga).toMatchObject({ attempts: 1, deadlineAt: at(3_000), state: 'RUNNING' });
    saga = retryStep(saga, 2_000, 3, at(3_000)).saga;
    expect(stepAttemptsExhausted(saga, 3)).toBe(true);
    expect(stepAttemptsExhausted(saga, Infinity)).toBe(false);
  });

  it('lets an operator retry a NEEDS_ATTENTION saga where it stopped, or resolve it with a note', () => {
    const stuck = attemptFailed(running({ attempts: 2 }), 'boom', limits, T0).saga;
    expect(stuck.state).toBe('NEEDS_ATTENTION');
    const retried = retrySaga(stuck, 'RUNNING', { actor: 'cli_ops', note: 'fixed the key' }, at(9));
    expect(retried.saga).toMatchObject({ state: 'RUNNING', attempts: 0, deadlineAt: at(9) });
    expect(retried.detail).toBe('by cli_ops: fixed the key');
    const resolved = resolveSaga(stuck, { actor: 'cli_ops', note: 'refunded by hand' }, at(9));
    expect(resolved.saga).toMatchObject({ state: 'RESOLVED', completedAt: at(9) });
    expect(codeOf(() => resolveSaga(resolved.saga, { actor: 'x' }, at(10)))).toBe('SAGA.INVALID_STATE');
    expect(codeOf(() => retrySaga(running(), 'RUNNING', { actor: 'x' }, at(10)))).toBe('SAGA.INVALID_STATE');
  });

  it('backs off exponentially with equal jitter, capped, never zero', () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 0))).toEqual([50, 100, 200]);
    expect(backoffMs(1, { baseMs: 1, capMs: 1 }, () => 0)).toBe(1);
    expect(backoffMs(5_000, policy, () => 0.5)).toBe(750);
  });
});

describe('saga config', () => {
  const read = (env: NodeJS.ProcessEnv) => {
    const saved = process.env;
    process.env = env;
    try {
      return sagaConfig.read();
    } finally {
      process.env = saved;
    }
  };

  it('has defaults', () => {
    expect(read({})).toEqual({
      sweepIntervalMs: 1_000,
      sweepBatchSize: 100,
      maxStepAttempts: 5,
      maxCompensationAttempts: 10,
      backoff: { baseMs: 1_000, capMs: 300_000 },
    });
  });

  it('names the offending variable', () => {
    expect(() => read({ SAGA_MAX_COMPENSATION_ATTEMPTS: '0' })).toThrow(/SAGA_MAX_COMPENSATION_ATTEMPTS/);
    expect(() => read({ SAGA_BACKOFF_BASE_MS: '500', SAGA_BACKOFF_CAP_MS: '100' })).toThrow(
      /SAGA_BACKOFF_CAP_MS/,
    );
  });
});
