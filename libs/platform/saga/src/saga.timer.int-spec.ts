import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { OrderCancelled } from '@fapiao/contracts';
import { sagasNeedingAttention } from './saga.metrics';
import { AN_HOUR, createSagaTestDatabase, lockSaga, outboxCount, sagaKit } from './saga.test-kit';
import type { TestDatabase } from '@fapiao/testing';
import type { Compensation, SagaContext, SagaDefinition, SagaInstance } from './saga.types';

interface OrderData {
  orderId: string;
}

const TENANT = randomUUID();
const OPERATOR = { actor: 'cli_ops', note: 'checked with tax-bridge' };

/** A definition whose hooks are jest mocks; every test registers its own type. */
function definitionFor(type: string) {
  return {
    type,
    onStepTimeout: jest.fn<
      Promise<{ retryInMs: number } | { fail: string }>,
      [SagaInstance<OrderData>, SagaContext]
    >(async () => ({ retryInMs: 60_000 })),
    compensate: jest.fn<Promise<void>, [Compensation, SagaInstance<OrderData>, SagaContext]>(
      async () => undefined,
    ),
    onCompensated: jest.fn<Promise<void>, [SagaInstance<OrderData>, SagaContext]>(async () => undefined),
  } satisfies SagaDefinition<OrderData>;
}

describe('SagaTimer (MySQL)', () => {
  let db: TestDatabase;
  let kit: ReturnType<typeof sagaKit>;
  /** Each sweep an hour after the last: every deadline and backoff of the previous one has passed. */
  const sweep = (timer = kit.timer) => {
    kit.clock.advance(AN_HOUR);
    return timer.sweepOnce();
  };
  const tx = <T>(work: () => Promise<T>): Promise<T> => kit.unitOfWork.run(work);
  /** A message to the order's key: how a test sees whether a hook's outbox rows committed. */
  const emit = async (saga: SagaInstance<OrderData>): Promise<void> => {
    await kit.outbox.append(OrderCancelled, {
      tenantId: saga.tenantId,
      key: saga.id,
      payload: { orderId: saga.data.orderId },
    });
  };
  const load = (id: string) => kit.engine.load<OrderData>(id);
  const events = async (id: string) => (await kit.engine.history(id)).map((entry) => entry.event);

  const startSaga = async (type: string, compensations: string[] = [], engine = kit.engine) => {
    const orderId = randomUUID();
    const { saga } = await tx(() =>
      engine.start<OrderData>({
        type,
        id: orderId,
        tenantId: TENANT,
        correlationId: orderId,
        step: 'AWAITING_AUTHORITY',
        data: { orderId },
        deadlineMs: 60_000,
        compensations: compensations.map((name) => ({ name, payload: { orderId } })),
      }),
    );
    return saga;
  };
  const startFailed = async (type: string, compensations: string[]) => {
    const saga = await startSaga(type, compensations);
    return tx(() => kit.engine.fail(saga, 'rejected by the authority'));
  };

  beforeAll(async () => {
    db = await createSagaTestDatabase();
    kit = sagaKit(db.dataSource);
  });

  afterAll(() => db?.drop());

  afterEach(() => jest.restoreAllMocks());

  it('re-sends a timed-out step through onStepTimeout, then fails and compensates after the last attempt', async () => {
    const definition = definitionFor('timeout-spec');
    definition.onStepTimeout.mockImplementation(async (saga) => {
      await emit(saga);
      return { retryInMs: 60_000 };
    });
    kit.engine.register(definition);
    const saga = await startSaga(definition.type, ['release-number']);

    expect(await kit.timer.sweepOnce()).toEqual({ processed: 0, failed: 0 });
    await sweep();
    expect(await load(saga.id)).toMatchObject({ state: 'RUNNING', attempts: 1 });
    expect(await outboxCount(db.dataSource, saga.id)).toBe(1);
    await sweep();
    expect(await load(saga.id)).toMatchObject({ state: 'RUNNING', attempts: 2 });

    // The third expiry uses up SAGA_MAX_STEP_ATTEMPTS (3): no re-send; compensated in the same sweep.
    expect(await sweep()).toEqual({ processed: 2, failed: 0 });
    expect(definition.onStepTimeout).toHaveBeenCalledTimes(2);
    expect(await outboxCount(db.dataSource, saga.id)).toBe(2);
    expect(definition.compensate).toHaveBeenCalledWith(
      { name: 'release-number', payload: { orderId: saga.data.orderId } },
      expect.objectContaining({ id: saga.id, state: 'COMPENSATING' }),
      expect.anything(),
    );
    expect(definition.onCompensated).toHaveBeenCalledTimes(1);
    expect(await load(saga.id)).toMatchObject({
      state: 'COMPENSATED',
      compensations: [],
      lastError: 'step AWAITING_AUTHORITY timed out 3 times',
    });
    expect(await events(saga.id)).toEqual([
      'started',
      'step_timed_out',
      'step_timed_out',
      'failed',
      'compensation_succeeded',
    ]);
  });

  it('retries a compensation that throws twice, records each failure, and never swallows one', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const definition = definitionFor('flaky-spec');
    let failures = 0;
    definition.compensate.mockImplementation(async () => {
      if (failures < 2) throw new Error(`tax-bridge unreachable #${++failures}`);
    });
    kit.engine.register(definition);
    const saga = await startFailed(definition.type, ['void-draft']);

    expect(await sweep()).toEqual({ processed: 0, failed: 1 });
    const afterFirst = await load(saga.id);
    expect(afterFirst).toMatchObject({
      state: 'COMPENSATING',
      attempts: 1,
      lastError: 'Error: tax-bridge unreachable #1',
    });
    expect(afterFirst?.deadlineAt?.getTime()).toBeGreaterThan(kit.clock.now().getTime());
    expect(await sweep()).toEqual({ processed: 0, failed: 1 });
    expect(await sweep()).toEqual({ processed: 1, failed: 0 });

    expect(definition.compensate).toHaveBeenCalledTimes(3);
    expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED', compensations: [] });
    const history = await kit.engine.history(saga.id);
    expect(history.map((entry) => [entry.event, entry.toState, entry.detail])).toEqual([
      ['started', 'RUNNING', null],
      ['failed', 'COMPENSATING', 'rejected by the authority'],
      ['compensation_failed', 'COMPENSATING', 'void-draft attempt 1/3: Error: tax-bridge unreachable #1'],
      ['compensation_failed', 'COMPENSATING', 'void-draft attempt 2/3: Error: tax-bridge unreachable #2'],
      ['compensation_succeeded', 'COMPENSATED', 'void-draft'],
    ]);
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringContaining('tax-bridge unreachable #1'),
      expect.stringContaining('tax-bridge unreachable #2'),
    ]);
  });

  it('hands a compensation that always throws to an operator, who can retry or resolve it', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const definition = definitionFor('stuck-spec');
    let broken = true;
    definition.compensate.mockImplementation(async () => {
      if (broken) throw new Error('certificate expired');
    });
    kit.engine.register(definition);
    const toRetry = await startFailed(definition.type, ['void-draft', 'notify-buyer']);
    const toResolve = await startFailed(definition.type, ['void-draft']);

    for (let attempt = 1; attempt <= 3; attempt++) expect(await sweep()).toEqual({ processed: 0, failed: 2 });
    for (const saga of [toRetry, toResolve]) {
      expect(await load(saga.id)).toMatchObject({
        state: 'NEEDS_ATTENTION',
        attempts: 3,
        deadlineAt: null,
        lastError: 'Error: certificate expired',
      });
    }
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(new RegExp(`${toRetry.id}.*NEEDS_ATTENTION.*certificate expired`)),
    );
    expect((await sagasNeedingAttention.get()).values).toContainEqual(
      expect.objectContaining({ labels: { type: definition.type }, value: 2 }),
    );
    // Left alone until an operator acts.
    expect(await sweep()).toEqual({ processed: 0, failed: 0 });
    expect(definition.compensate).toHaveBeenCalledTimes(6);

    broken = false;
    const retried = await tx(async () => kit.engine.retry(await lockSaga(kit.engine, toRetry.id), OPERATOR));
    expect(retried).toMatchObject({ state: 'COMPENSATING', attempts: 0 });
    expect(await sweep()).toEqual({ processed: 2, failed: 0 });
    expect(await load(toRetry.id)).toMatchObject({ state: 'COMPENSATED', compensations: [] });
    expect(definition.compensate.mock.calls.slice(-2).map(([compensation]) => compensation.name)).toEqual([
      'notify-buyer',
      'void-draft',
    ]);

    const resolved = await tx(async () =>
      kit.engine.resolve(await lockSaga(kit.engine, toResolve.id), {
        actor: 'cli_ops',
        note: 'voided by hand',
      }),
    );
    expect(resolved).toMatchObject({ state: 'RESOLVED' });
    expect(resolved.completedAt).toBeInstanceOf(Date);
    const history = await kit.engine.history(toResolve.id);
    expect(history.at(-1)).toMatchObject({
      event: 'resolved',
      fromState: 'NEEDS_ATTENTION',
      toState: 'RESOLVED',
      detail: 'by cli_ops: voided by hand',
    });
    await expect(tx(() => kit.engine.retry(resolved, OPERATOR))).rejects.toMatchObject({
      code: 'SAGA.INVALID_STATE',
    });
    await sweep();
    expect((await sagasNeedingAttention.get()).values).toContainEqual(
      expect.objectContaining({ labels: { type: definition.type }, value: 0 }),
    );
  });

  it('puts a step whose failure cannot be processed in NEEDS_ATTENTION; a retry resumes the step', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const definition = definitionFor('stuck-step-spec');
    definition.onStepTimeout.mockImplementation(async () => ({ fail: 'no answer' }));
    definition.onCompensated.mockRejectedValue(new Error('rejection event refused'));
    kit.engine.register(definition);
    const saga = await startSaga(definition.type);

    for (let attempt = 1; attempt <= 3; attempt++) await sweep();
    expect(await load(saga.id)).toMatchObject({ state: 'NEEDS_ATTENTION', step: 'AWAITING_AUTHORITY' });
    expect(await events(saga.id)).toEqual([
      'started',
      'step_timeout_failed',
      'step_timeout_failed',
      'step_timeout_failed',
    ]);

    definition.onCompensated.mockResolvedValue(undefined);
    await tx(async () => kit.engine.retry(await lockSaga(kit.engine, saga.id), OPERATOR));
    expect(await load(saga.id)).toMatchObject({ state: 'RUNNING', attempts: 0 });
    await sweep();
    expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED', lastError: 'no answer' });
    expect((await events(saga.id)).slice(-2)).toEqual(['retried', 'failed']);
  });

  it('commits the outbox rows of a compensation with its pop, and rolls them back with a failed attempt', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const definition = definitionFor('outbox-spec');
    let attempts = 0;
    definition.compensate.mockImplementation(async (_compensation, saga) => {
      await emit(saga);
      if (++attempts === 1) throw new Error('failed after writing its message');
    });
    definition.onCompensated.mockImplementation(emit);
    kit.engine.register(definition);
    const wakeRelay = jest.fn();
    kit.outbox.onCommitted(wakeRelay);
    const saga = await startFailed(definition.type, ['void-draft']);

    await sweep();
    expect(await outboxCount(db.dataSource, saga.id)).toBe(0);
    expect(await load(saga.id)).toMatchObject({
      state: 'COMPENSATING',
      compensations: [{ name: 'void-draft' }],
    });

    await sweep();
    expect(await outboxCount(db.dataSource, saga.id)).toBe(2);
    expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED', compensations: [] });
    expect(wakeRelay).toHaveBeenCalled();
  });

  it('never runs the same compensation twice when two sweepers race (SKIP LOCKED)', async () => {
    const runs = new Map<string, number>();
    const bySweeper = [0, 0];
    const definitionOf = (sweeper: number): SagaDefinition<OrderData> => ({
      ...definitionFor('race-spec'),
      compensate: async (compensation, saga) => {
        const key = `${saga.id}/${compensation.name}`;
        runs.set(key, (runs.get(key) ?? 0) + 1);
        bySweeper[sweeper] += 1;
        // Long enough for the other sweeper to try the same rows meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const replica = sagaKit(await db.connect(), kit.clock);
    kit.engine.register(definitionOf(0));
    replica.engine.register(definitionOf(1));
    const sagas = await Promise.all(
      Array.from({ length: 12 }, () => startFailed('race-spec', ['first', 'second'])),
    );

    kit.clock.advance(AN_HOUR);
    const [a, b] = await Promise.all([kit.timer.sweepOnce(), replica.timer.sweepOnce()]);

    expect(a.processed + b.processed).toBe(24);
    expect(a.failed + b.failed).toBe(0);
    expect([...runs.values()]).toEqual(Array(24).fill(1));
    expect(bySweeper.every((count) => count > 0)).toBe(true);
    for (const saga of sagas) expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED', version: 4 });
  });

  it('skips a saga another sweeper holds instead of waiting for it', async () => {
    let secondDone!: () => void;
    const second = new Promise<'second done'>((resolve) => (secondDone = () => resolve('second done')));
    let waitedFor: string | undefined;
    const definition: SagaDefinition<OrderData> = {
      ...definitionFor('skip-spec'),
      compensate: async (compensation) => {
        if (compensation.name === 'second') return secondDone();
        // Holds the first saga's row until the other sweeper has handled the second saga.
        const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 2_000));
        waitedFor = await Promise.race([second, timeout]);
      },
    };
    const replica = sagaKit(await db.connect(), kit.clock);
    kit.engine.register(definition);
    replica.engine.register(definition);
    const first = await startFailed(definition.type, ['first']);
    const other = await startFailed(definition.type, ['second']);

    kit.clock.advance(AN_HOUR);
    await Promise.all([kit.timer.sweepOnce(), replica.timer.sweepOnce()]);

    expect(waitedFor).toBe('second done');
    for (const saga of [first, other]) expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED' });
  });

  it('sweeps on its own schedule, never overlapping itself, and stops cleanly', async () => {
    const definition = definitionFor('timer-spec');
    let active = 0;
    let maxActive = 0;
    definition.compensate.mockImplementation(async () => {
      maxActive = Math.max(maxActive, ++active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active -= 1;
    });
    kit.engine.register(definition);
    const sagas = await Promise.all([
      startFailed(definition.type, ['a', 'b', 'c']),
      startFailed(definition.type, ['a']),
    ]);
    const sweeps = jest.spyOn(kit.timer, 'sweepOnce');

    kit.timer.start();
    // A manual sweep while the timer runs queues behind it instead of overlapping.
    await Promise.all([kit.timer.sweepOnce(), kit.timer.sweepOnce()]);
    for (let waited = 0; waited < 3_000; waited += 20) {
      const states = await Promise.all(sagas.map(async (saga) => (await load(saga.id))?.state));
      if (states.every((state) => state === 'COMPENSATED')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await kit.timer.stop();
    const sweepsAtStop = sweeps.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));

    for (const saga of sagas) expect(await load(saga.id)).toMatchObject({ state: 'COMPENSATED' });
    expect(maxActive).toBe(1);
    expect(definition.compensate).toHaveBeenCalledTimes(4);
    expect(sweepsAtStop).toBeGreaterThan(2);
    expect(sweeps.mock.calls.length).toBe(sweepsAtStop);
  });
});
