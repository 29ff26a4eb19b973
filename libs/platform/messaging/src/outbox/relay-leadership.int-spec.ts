import { randomUUID } from 'node:crypto';
import { LeaderLock } from '@fapiao/platform/persistence';
import { createTestDatabase, type TestDatabase } from '@fapiao/testing';

// The outbox relay's leadership (one publishing replica per schema), tested here because
// platform/persistence's own specs cannot use @fapiao/testing, which depends on it.
describe('LeaderLock (MariaDB)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: [] }, 'it_leader_');
  });
  afterAll(() => db?.drop());

  it('lets one replica lead at a time, and another take over when it resigns', async () => {
    const name = `it_leader_${randomUUID()}`;
    const first = new LeaderLock(db.dataSource, name);
    const second = new LeaderLock(await db.connect(), name);
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    expect(await first.hold()).toBe(true);
    await first.release();
    expect(await second.hold()).toBe(true);
    expect(await first.hold()).toBe(false);
    await second.release();
  });

  it('finds out at its next verification that its connection lost the lock', async () => {
    const name = `it_leader_${randomUUID()}`;
    const lock = new LeaderLock(db.dataSource, name, 1_000);
    expect(await lock.hold(0)).toBe(true);
    // The lock's connection dies (a failover, a network cut): the server frees the lock.
    const holders = (await db.dataSource.query('SELECT IS_USED_LOCK(?) AS holder', [name])) as {
      holder: number;
    }[];
    await db.dataSource.query(`KILL CONNECTION ${Number(holders[0].holder)}`);
    const rival = new LeaderLock(await db.connect(), name);
    expect(await rival.hold()).toBe(true);
    // Between verifications the old leader still believes it leads; the next one tells it otherwise.
    expect(await lock.hold(500)).toBe(true);
    await expect(lock.hold(2_000)).resolves.toBe(false);
    await rival.release();
  });
});
