import { ChunkGatherer } from './chunk-gatherer';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function setUp(max = 10) {
  const units: string[][] = [];
  const failing = new Set<string>();
  let release: (() => void) | undefined;
  let holdNext = false;
  const gatherer = new ChunkGatherer<string>(max, async (items) => {
    units.push(items);
    if (holdNext) {
      holdNext = false;
      await new Promise<void>((resolve) => (release = resolve));
    }
    if (items.some((item) => failing.has(item))) throw new Error(`failed: ${items.join(',')}`);
  });
  return {
    gatherer,
    units,
    failing,
    holdNextUnit: () => (holdNext = true),
    releaseUnit: () => release?.(),
  };
}

describe('ChunkGatherer', () => {
  it("runs the chunks submitted in one turn as one unit, in submission order, each chunk's order kept", async () => {
    const { gatherer, units } = setUp();
    await Promise.all([
      gatherer.submit(['a1', 'a2']),
      gatherer.submit(['b1']),
      gatherer.submit(['c1', 'c2']),
    ]);
    expect(units).toEqual([['a1', 'a2', 'b1', 'c1', 'c2']]);
  });

  it('keeps units within the maximum without splitting a chunk, and runs a larger chunk alone', async () => {
    const { gatherer, units } = setUp(4);
    await Promise.all([
      gatherer.submit(['a1', 'a2', 'a3']),
      gatherer.submit(['b1']),
      gatherer.submit(['c1', 'c2']),
      gatherer.submit(['d1', 'd2', 'd3', 'd4', 'd5']),
      gatherer.submit(['e1']),
    ]);
    expect(units).toEqual([['a1', 'a2', 'a3', 'b1'], ['c1', 'c2'], ['d1', 'd2', 'd3', 'd4', 'd5'], ['e1']]);
  });

  it('runs one unit at a time: chunks submitted meanwhile wait and are gathered into the next', async () => {
    const { gatherer, units, holdNextUnit, releaseUnit } = setUp();
    holdNextUnit();
    const first = gatherer.submit(['a1']);
    await nextTurn();
    expect(units).toEqual([['a1']]);
    const later = [gatherer.submit(['b1']), gatherer.submit(['c1'])];
    await nextTurn();
    await nextTurn();
    expect(units).toEqual([['a1']]); // still running the first
    releaseUnit();
    await Promise.all([first, ...later]);
    expect(units).toEqual([['a1'], ['b1', 'c1']]);
  });

  it("settles each submission as its unit does: a failing unit rejects its chunks, not the next unit's", async () => {
    const { gatherer, failing } = setUp(2);
    failing.add('b1');
    const results = await Promise.allSettled([
      gatherer.submit(['a1']),
      gatherer.submit(['b1']),
      gatherer.submit(['c1', 'c2']),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('failed: a1,b1'));
  });

  it('goes on gathering after a failure', async () => {
    const { gatherer, units, failing } = setUp();
    failing.add('a1');
    await expect(gatherer.submit(['a1'])).rejects.toThrow('failed: a1');
    await gatherer.submit(['b1']);
    expect(units).toEqual([['a1'], ['b1']]);
  });
});
