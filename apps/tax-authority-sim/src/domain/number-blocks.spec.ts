import { NumberBlocks } from './number-blocks';

/** The durable counter the blocks come from, as number_sequences keeps it, counting reservations. */
const counter = () => {
  const last = new Map<string, bigint>();
  const calls: { prefix: string; size: number }[] = [];
  const reserve = async (prefix: string, size: number) => {
    calls.push({ prefix, size });
    await new Promise((resolve) => setImmediate(resolve));
    const value = (last.get(prefix) ?? 0n) + BigInt(size);
    last.set(prefix, value);
    return value;
  };
  return { reserve, calls };
};

describe('NumberBlocks', () => {
  it('hands out a reserved block in memory: one reservation per block, per prefix', async () => {
    const { reserve, calls } = counter();
    const blocks = new NumberBlocks(reserve, 3);
    expect(await blocks.take('26441')).toEqual([1n]);
    expect(await blocks.take('26441', 2)).toEqual([2n, 3n]);
    expect(await blocks.take('26441', 2)).toEqual([4n, 5n]);
    expect(await blocks.take('26111')).toEqual([1n]);
    expect(calls).toEqual([
      { prefix: '26441', size: 3 },
      { prefix: '26441', size: 3 },
      { prefix: '26111', size: 3 },
    ]);
  });

  it('reserves at least what one request needs', async () => {
    const { reserve, calls } = counter();
    const blocks = new NumberBlocks(reserve, 2);
    expect(await blocks.take('26441', 5)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(calls).toEqual([{ prefix: '26441', size: 5 }]);
  });

  it('gives concurrent takers distinct numbers with one reservation at a time', async () => {
    const { reserve, calls } = counter();
    const blocks = new NumberBlocks(reserve, 10);
    const taken = await Promise.all(Array.from({ length: 40 }, (_, i) => blocks.take('26441', 1 + (i % 3))));
    const all = taken.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(79);
    // 79 numbers from blocks of 10: eight reservations, never two at once for the same prefix.
    expect(calls.length).toBe(8);
  });

  it('never repeats a number after a restart (a new instance): the rest of the old block is a gap', async () => {
    const { reserve } = counter();
    const before = await new NumberBlocks(reserve, 100).take('26441', 3);
    const after = await new NumberBlocks(reserve, 100).take('26441', 3);
    expect(before).toEqual([1n, 2n, 3n]);
    expect(after).toEqual([101n, 102n, 103n]);
  });

  it('lets a failed reservation fail its takers, and the next take try again', async () => {
    let fail = true;
    const blocks = new NumberBlocks(async (_prefix, size) => {
      if (fail) throw new Error('database away');
      return BigInt(size);
    }, 5);
    await expect(blocks.take('26441')).rejects.toThrow('database away');
    fail = false;
    expect(await blocks.take('26441')).toEqual([1n]);
  });
});
