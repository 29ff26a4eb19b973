import { DeclaredSaga } from './declared-saga';
import type { SagaEngine } from './saga.engine';
import type { SagaInstance } from './saga.types';

type Data = { orderId: string };

function fakeEngine() {
  return {
    register: jest.fn(),
    start: jest.fn(async (init: unknown) => ({ saga: init, created: true })),
    advance: jest.fn(async (saga: unknown) => saga),
    load: jest.fn(),
  };
}

const saga = (step: string): SagaInstance<Data> =>
  ({ id: 's1', type: 'spec-flow', step, data: { orderId: 'o1' } }) as SagaInstance<Data>;

describe('DeclaredSaga', () => {
  const resend = jest.fn(async () => ({ retryInMs: 5 }));
  const undoSubmit = jest.fn(async () => undefined);
  const build = (engine = fakeEngine()) => ({
    engine,
    flow: new DeclaredSaga<Data, 'SUBMITTED' | 'CONFIRMING'>(engine as unknown as SagaEngine, {
      type: 'spec-flow',
      steps: {
        SUBMITTED: {
          deadlineMs: 1_000,
          onTimeout: resend,
          compensation: { name: 'undo-submit', run: undoSubmit },
        },
        CONFIRMING: {},
      },
    }),
  });

  it('registers itself and starts in a step with that step’s deadline and compensation', async () => {
    const { engine, flow } = build();
    expect(engine.register).toHaveBeenCalledWith(flow);
    await flow.start({
      id: 's1',
      tenantId: 't',
      correlationId: 'c',
      step: 'SUBMITTED',
      data: { orderId: 'o1' },
    });
    expect(engine.start).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'spec-flow',
        step: 'SUBMITTED',
        deadlineMs: 1_000,
        compensations: [{ name: 'undo-submit', payload: {} }],
      }),
    );
  });

  it('advances to a step without a deadline by clearing it, pushing nothing', async () => {
    const { engine, flow } = build();
    await flow.advance(saga('SUBMITTED'), 'CONFIRMING', { note: 'form raised' });
    expect(engine.advance).toHaveBeenCalledWith(saga('SUBMITTED'), {
      step: 'CONFIRMING',
      deadlineMs: null,
      pushCompensation: undefined,
      note: 'form raised',
    });
  });

  it('dispatches timeouts and compensations on the table, and refuses what it does not declare', async () => {
    const { flow } = build();
    const ctx = { now: new Date() };
    await expect(flow.onStepTimeout(saga('SUBMITTED'), ctx)).resolves.toEqual({ retryInMs: 5 });
    await expect(flow.onStepTimeout(saga('CONFIRMING'), ctx)).rejects.toThrow(/no timeout handling/);
    await expect(flow.onStepTimeout(saga('RETIRED_STEP'), ctx)).rejects.toThrow(/no timeout handling/);
    await flow.compensate({ name: 'undo-submit', payload: {} }, saga('CONFIRMING'), ctx);
    expect(undoSubmit).toHaveBeenCalledWith(saga('CONFIRMING'), ctx);
    await expect(
      flow.compensate({ name: 'void-everything', payload: {} }, saga('SUBMITTED'), ctx),
    ).rejects.toThrow(/unknown compensation void-everything/);
  });

  it('locks only sagas of its own type', async () => {
    const engine = fakeEngine();
    const { flow } = build(engine);
    engine.load.mockResolvedValueOnce({ ...saga('SUBMITTED'), type: 'other-flow' });
    expect(await flow.lock('s1')).toBeNull();
    engine.load.mockResolvedValueOnce(saga('SUBMITTED'));
    expect(await flow.lock('s1')).toMatchObject({ id: 's1' });
    expect(engine.load).toHaveBeenCalledWith('s1', { forUpdate: true });
  });
});
