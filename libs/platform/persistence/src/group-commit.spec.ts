import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit';
import { UnitOfWork } from './unit-of-work';

/** Counts transactions; a work that throws rolls its transaction back (nothing of it is `committed`). */
function setUp() {
  const transactions: string[][] = [];
  const committed: string[] = [];
  const dataSource = {
    manager: {} as EntityManager,
    transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
      const writes: string[] = [];
      transactions.push(writes);
      const result = await work({ writes } as unknown as EntityManager);
      committed.push(...writes);
      return result;
    },
  } as unknown as DataSource;
  const unitOfWork = new UnitOfWork(dataSource);
  const groupCommit = new GroupCommit(unitOfWork);
  /** A request's work: writes its name in the open transaction, or fails. */
  const request = (name: string, fail = false) =>
    groupCommit.run(async () => {
      (unitOfWork.transactional(name) as unknown as { writes: string[] }).writes.push(name);
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error(`${name} refused`);
      return `${name} done`;
    });
  return { request, transactions, committed, groupCommit, unitOfWork };
}

describe('GroupCommit', () => {
  it('runs a lone request at once, in its own transaction', async () => {
    const { request, transactions, committed } = setUp();
    await expect(request('a')).resolves.toBe('a done');
    expect(transactions).toHaveLength(1);
    expect(committed).toEqual(['a']);
  });

  it('commits the requests that arrive while a transaction runs together, each with its own answer', async () => {
    const { request, transactions, committed } = setUp();
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((name) => request(name)));
    expect(answers).toEqual(['a done', 'b done', 'c done', 'd done']);
    // a starts at once; b, c and d arrive meanwhile and share the next transaction.
    expect(transactions).toEqual([['a'], ['b', 'c', 'd']]);
    expect(committed).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs every work of a failed group again alone: only the failing request fails', async () => {
    const { request, transactions, committed } = setUp();
    const answers = await Promise.allSettled([request('a'), request('b'), request('c', true), request('d')]);
    expect(
      answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : String(answer.reason))),
    ).toEqual(['a done', 'b done', 'Error: c refused', 'd done']);
    expect(transactions).toEqual([['a'], ['b', 'c'], ['b'], ['c'], ['d']]);
    expect(committed).toEqual(['a', 'b', 'd']); // the failed group's writes were never committed
  });

  it("reads what a group's works will read in one call per loader, in the group's transaction, before they run", async () => {
    const { transactions, groupCommit, unitOfWork } = setUp();
    const loads: string[][] = [];
    const load = async (keys: string[]) => {
      loads.push(keys);
      (unitOfWork.transactional('load') as unknown as { writes: string[] }).writes.push(`load ${keys}`);
    };
    const request = (name: string) =>
      groupCommit.run(
        async () => {
          (unitOfWork.transactional(name) as unknown as { writes: string[] }).writes.push(name);
          await new Promise((resolve) => setImmediate(resolve));
        },
        { load, key: name },
      );
    await Promise.all([request('a'), request('b'), groupCommit.run(async () => undefined), request('c')]);
    // a alone reads for itself; b and c share one load, the work without a key adds none.
    expect(loads).toEqual([['b', 'c']]);
    expect(transactions).toEqual([['a'], ['load b,c', 'b', 'c']]);
  });

  it('expects a new caller to wait for the groups of the callers ahead, or as long as the longest has waited', async () => {
    let now = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { groupCommit, unitOfWork } = setUp();
      const quick = () => groupCommit.run(async () => unitOfWork.manager());
      const holding = () => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        return { answer: groupCommit.run(() => held), release };
      };
      expect(groupCommit.expectedWaitMs()).toBe(0);

      const slow = holding(); // its transaction holds the next ones back
      const behind = Array.from({ length: 10 }, quick);
      now = 40;
      // No group measured yet: the first waiting caller has waited 40 ms, and a group takes at least as long
      // as the running one so far (two full groups ahead of the 130th caller after it).
      expect(groupCommit.expectedWaitMs()).toBe(40);
      expect(groupCommit.expectedWaitMs(1 + 129)).toBe(80);
      now = 100;
      slow.release();
      await Promise.all([slow.answer, ...behind]);
      expect(groupCommit.expectedWaitMs()).toBe(0);

      // Groups measured: 100 ms (one caller), then 0 ms (ten): 0.7 × (0.3 × 100) = 21 ms a group.
      const next = holding();
      const ahead = Array.from({ length: 5 }, quick);
      // The running group (just started), and the five waiting join the next group with the new caller.
      expect(groupCommit.expectedWaitMs()).toBeCloseTo(21);
      expect(groupCommit.expectedWaitMs(1 + 63)).toBeCloseTo(21); // callers ahead counted by the caller
      expect(groupCommit.expectedWaitMs(1 + 64)).toBeCloseTo(42); // a full group of 64 before its own
      next.release();
      await Promise.all([next.answer, ...ahead]);
    } finally {
      clock.mockRestore();
    }
  });
});
