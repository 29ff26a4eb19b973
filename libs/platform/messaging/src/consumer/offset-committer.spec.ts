import { OffsetCommitter } from './offset-committer';

type Commit = { topic: string; partition: number; offset: string }[];

function setUp(intervalMs = 1_000) {
  let now = 0;
  const commits: Commit[] = [];
  let failNext = false;
  const consumer = {
    commitOffsets: jest.fn(async (offsets: Commit) => {
      if (failNext) {
        failNext = false;
        throw new Error('The group is rebalancing');
      }
      commits.push(offsets);
    }),
  };
  const errors: unknown[] = [];
  const committer = new OffsetCommitter(
    consumer,
    'orders',
    intervalMs,
    (e) => errors.push(e),
    () => now,
  );
  return {
    committer,
    commits,
    errors,
    advance: (ms: number) => (now += ms),
    failNextCommit: () => (failNext = true),
  };
}

describe('OffsetCommitter', () => {
  it('commits the next offset of each partition at most once per interval', async () => {
    const { committer, commits, advance } = setUp();
    committer.handled(0, '41');
    await committer.commitIfDue();
    expect(commits).toEqual([]); // within the interval: waits
    committer.handled(0, '42');
    committer.handled(2, '7');
    advance(1_000);
    await committer.commitIfDue();
    expect(commits).toEqual([
      [
        { topic: 'orders', partition: 0, offset: '43' },
        { topic: 'orders', partition: 2, offset: '8' },
      ],
    ]);
    advance(1_000);
    await committer.commitIfDue();
    expect(commits).toHaveLength(1); // nothing new handled: nothing sent
  });

  it('commits after every batch with an interval of 0', async () => {
    const { committer, commits } = setUp(0);
    committer.handled(1, '0');
    await committer.commitIfDue();
    committer.handled(1, '1');
    await committer.commitIfDue();
    expect(commits.map(([{ offset }]) => offset)).toEqual(['1', '2']);
  });

  it('keeps offsets a failed commit did not send, unless newer ones came, and drops revoked partitions', async () => {
    const { committer, commits, errors, failNextCommit } = setUp();
    committer.handled(0, '9');
    committer.handled(1, '4');
    failNextCommit();
    await committer.commit();
    expect(errors).toHaveLength(1);
    committer.handled(0, '10');
    committer.keepOnly([0]); // partition 1 went to another member
    await committer.commit();
    expect(commits).toEqual([[{ topic: 'orders', partition: 0, offset: '11' }]]);
  });

  it('sends commits one at a time, the later with the later offsets', async () => {
    const { committer, commits } = setUp(0);
    committer.handled(0, '1');
    const first = committer.commit();
    committer.handled(0, '2');
    const second = committer.commit();
    await Promise.all([first, second]);
    const sent = commits.map(([{ offset }]) => Number(offset));
    expect(sent.at(-1)).toBe(3);
    expect(sent).toEqual([...sent].sort((a, b) => a - b)); // never back
  });
});
