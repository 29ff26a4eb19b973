import { randomUUID } from 'node:crypto';
import { isDomainError, OrderCancelled } from '@fapiao/contracts';
import { sagaTransitions } from './saga.metrics';
import { createSagaTestDatabase, lockSaga, outboxCount, sagaKit } from './saga.test-kit';
import { statementsOf, type TestDatabase } from '@fapiao/testing';
import type { SagaDefinition, StartSaga } from './saga.types';

interface OrderData {
  orderId: string;
}

const TENANT = randomUUID();

const codeOf = (error: unknown): string => (isDomainError(error) ? error.code : String(error));

describe('SagaEngine (MySQL)', () => {
  let db: TestDatabase;
  let kit: ReturnType<typeof sagaKit>;
  const onCompensated = jest.fn<
    Promise<void>,
    Parameters<NonNullable<SagaDefinition<OrderData>['onCompensated']>>
  >();
  const definition: SagaDefinition<OrderData> = {
    type: 'engine-spec',
    onStepTimeout: async () => ({ retryInMs: 1_000 }),
    compensate: async () => undefined,
    onCompensated,
  };

  const tx = <T>(work: () => Promise<T>): Promise<T> => kit.unitOfWork.run(work);
  const init = (overrides: Partial<StartSaga<OrderData>> = {}): StartSaga<OrderData> => {
    const orderId = randomUUID();
    return {
      type: definition.type,
      id: orderId,
      tenantId: TENANT,
      correlationId: orderId,
      step: 'SENT',
      data: { orderId },
      deadlineMs: 60_000,
      ...overrides,
    };
  };
  const transitionsTo = async (state: string): Promise<number> =>
    (await sagaTransitions.get()).values.find(
      (value) => value.labels.type === definition.type && value.labels.to_state === state,
    )?.value ?? 0;

  beforeAll(async () => {
    db = await createSagaTestDatabase();
    kit = sagaKit(db.dataSource);
    kit.engine.register(definition);
  });

  afterAll(() => db?.drop());

  beforeEach(() => onCompensated.mockReset());

  it('starts idempotently: a repeated or concurrent start returns the one saga', async () => {
    const request = init();
    const first = await tx(() => kit.engine.start(request));
    const again = await tx(() => kit.engine.start({ ...request, step: 'OTHER', data: { orderId: 'x' } }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ saga: first.saga, created: false });
    expect(await kit.engine.history(request.id)).toHaveLength(1);

    const racing = init();
    const both = await Promise.all([tx(() => kit.engine.start(racing)), tx(() => kit.engine.start(racing))]);
    expect(both.map((result) => result.created).sort()).toEqual([false, true]);
    expect(both[0].saga).toEqual(both[1].saga);
  });

  it('refuses an id taken by another tenant or type, and an unregistered type', async () => {
    const request = init();
    await tx(() => kit.engine.start(request));
    await expect(tx(() => kit.engine.start({ ...request, tenantId: randomUUID() }))).rejects.toMatchObject({
      code: 'SAGA.ID_CONFLICT',
    });
    await expect(tx(() => kit.engine.start(init({ type: 'nobody-registered-this' })))).rejects.toMatchObject({
      code: 'SAGA.UNKNOWN_TYPE',
    });
  });

  it('refuses to write a transition outside a transaction', async () => {
    await expect(kit.engine.start(init())).rejects.toThrow(/outside a transaction/);
  });

  it('lets exactly one of two concurrent advances of the same version win (optimistic lock)', async () => {
    const { saga } = await tx(() => kit.engine.start(init()));
    let loaded = 0;
    let bothLoaded!: () => void;
    const barrier = new Promise<void>((resolve) => (bothLoaded = resolve));
    const advanceTo = (step: string) =>
      tx(async () => {
        // A plain read: both transactions hold version 1.
        const current = await kit.engine.load<OrderData>(saga.id);
        if (++loaded === 2) bothLoaded();
        await barrier;
        return kit.engine.advance(current ?? saga, { step });
      });

    const results = await Promise.allSettled([advanceTo('WINNER_A'), advanceTo('WINNER_B')]);

    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((result) => codeOf(result.reason))).toEqual(['SAGA.CONCURRENT_UPDATE']);
    expect(lost[0].reason).toMatchObject({ kind: 'concurrency' });
    const stored = await kit.engine.load(saga.id);
    expect(stored).toMatchObject({ version: 2, step: won[0].value.step });
    expect(await kit.engine.history(saga.id)).toHaveLength(2);
  });

  it('writes a unit of work’s fresh sagas in one INSERT and its transitions in one UPDATE, at commit', async () => {
    const older = await Promise.all([init(), init()].map((request) => tx(() => kit.engine.start(request))));
    const [a, b] = [init({ fresh: true }), init({ fresh: true })];
    const sent = await statementsOf(() =>
      tx(async () => {
        await kit.engine.start(a);
        const { saga } = await kit.engine.start(b);
        // Advanced before it is written: its one INSERT carries the change.
        await kit.engine.advance(saga, { step: 'NEXT' });
        for (const { saga: old } of older) await kit.engine.advance(old, { step: 'NEXT' });
      }),
    );
    expect(sent.filter((sql) => /saga_instances/.test(sql)).map((sql) => sql.split(' ')[0])).toEqual([
      'INSERT',
      'UPDATE',
    ]);
    expect(await kit.engine.load(a.id)).toMatchObject({ step: 'SENT', version: 1 });
    expect(await kit.engine.load(b.id)).toMatchObject({ step: 'NEXT', version: 2 });
    for (const { saga } of older)
      expect(await kit.engine.load(saga.id)).toMatchObject({ step: 'NEXT', version: 2 });
    expect(await kit.engine.history(b.id)).toHaveLength(2);
  });

  it('lets a read in the unit of work see the sagas it started fresh and changed', async () => {
    const fresh = init({ fresh: true });
    await tx(async () => {
      const { saga } = await kit.engine.start(fresh);
      expect(await kit.engine.load(fresh.id)).toMatchObject({ version: 1 });
      await kit.engine.advance(saga, { step: 'NEXT' });
      expect(await kit.engine.load(fresh.id, { forUpdate: true })).toMatchObject({
        step: 'NEXT',
        version: 2,
      });
      expect(await kit.engine.history(fresh.id)).toHaveLength(2);
    });
  });

  it('queues writers that load forUpdate instead of failing them', async () => {
    const { saga } = await tx(() => kit.engine.start(init()));
    const advanceTo = (step: string) =>
      tx(async () => kit.engine.advance(await lockSaga<OrderData>(kit.engine, saga.id), { step }));
    await Promise.all([advanceTo('ONE'), advanceTo('TWO')]);
    expect(await kit.engine.load(saga.id)).toMatchObject({ version: 3 });
  });

  it('keeps the full history of a saga, one row per version, in the same transaction as the change', async () => {
    const request = init({ compensations: [{ name: 'void-draft', payload: { n: 1 } }] });
    const final = await tx(async () => {
      const { saga } = await kit.engine.start(request);
      const sent = await kit.engine.advance(saga, {
        step: 'AWAITING',
        pushCompensation: { name: 'recall', payload: { n: 2 } },
        note: 'command sent',
      });
      return kit.engine.complete(sent, { note: 'issued' });
    });
    expect(final).toMatchObject({ state: 'COMPLETED', version: 3, deadlineAt: null });
    expect(final.completedAt).toBeInstanceOf(Date);
    expect(await kit.engine.load(request.id)).toEqual(final);
    const history = await kit.engine.history(request.id);
    expect(
      history.map(({ seq, event, fromState, toState, step, detail }) => ({
        seq,
        event,
        fromState,
        toState,
        step,
        detail,
      })),
    ).toEqual([
      { seq: 1, event: 'started', fromState: null, toState: 'RUNNING', step: 'SENT', detail: null },
      {
        seq: 2,
        event: 'advanced',
        fromState: 'RUNNING',
        toState: 'RUNNING',
        step: 'AWAITING',
        detail: 'command sent',
      },
      {
        seq: 3,
        event: 'completed',
        fromState: 'RUNNING',
        toState: 'COMPLETED',
        step: 'AWAITING',
        detail: 'issued',
      },
    ]);
  });

  it('fails with an empty stack straight to COMPENSATED, running onCompensated in the caller transaction', async () => {
    onCompensated.mockImplementation(async (saga) => {
      await kit.outbox.append(OrderCancelled, {
        tenantId: saga.tenantId,
        key: saga.id,
        payload: { orderId: saga.data.orderId },
      });
    });
    const { saga } = await tx(() => kit.engine.start(init()));
    const completedBefore = await transitionsTo('COMPENSATED');

    // The caller's transaction fails after the saga did: transition, history and message all roll back.
    await expect(
      tx(async () => {
        await kit.engine.fail(saga, 'rejected by validation');
        throw new Error('the handler failed later');
      }),
    ).rejects.toThrow('the handler failed later');
    expect(await kit.engine.load(saga.id)).toMatchObject({
      state: 'RUNNING',
      version: 1,
    });
    expect(await outboxCount(db.dataSource, saga.id)).toBe(0);
    expect(await transitionsTo('COMPENSATED')).toBe(completedBefore);

    const failed = await tx(() => kit.engine.fail(saga, 'rejected by validation'));
    expect(failed).toMatchObject({ state: 'COMPENSATED', lastError: 'rejected by validation' });
    expect(onCompensated).toHaveBeenCalledTimes(2);
    expect(await outboxCount(db.dataSource, saga.id)).toBe(1);
    expect(await transitionsTo('COMPENSATED')).toBe(completedBefore + 1);
  });

  it('refuses to advance a saga that has ended', async () => {
    const { saga } = await tx(() => kit.engine.start(init()));
    const done = await tx(() => kit.engine.complete(saga));
    await expect(tx(() => kit.engine.advance(done, { step: 'LATE' }))).rejects.toMatchObject({
      code: 'SAGA.INVALID_STATE',
    });
  });
});
