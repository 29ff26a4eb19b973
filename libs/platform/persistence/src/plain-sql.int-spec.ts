/**
 * The plain-SQL helpers against the real MariaDB: what they write and read must be exactly what TypeORM's
 * insert, update and find write and read, for every kind of column the services use.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner.js';
import {
  Column,
  DataSource,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import type { DatabaseConfig } from '@fapiao/platform/config';
import { dataSourceOptions } from './data-source-options';
import { migrate } from './migrate';
import { insertRows, selectRows, updateEach, updateRows } from './plain-sql';
import { UnitOfWork } from './unit-of-work';
import { DeferredUpdates } from './versioned-update';

@Entity('samples')
class SampleEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'tenant_id', type: 'char', length: 36 })
  tenantId: string;

  @Column({ type: 'decimal', precision: 18, scale: 2 })
  amount: string;

  @Column({ type: 'boolean' })
  flag: boolean;

  @Column({ name: 'due_at', type: 'datetime', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ type: 'simple-json' })
  headers: Record<string, string>;

  @Column({ type: 'text', transformer: { to: JSON.stringify, from: (text: string) => JSON.parse(text) } })
  payload: { lines: number[] };

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'int' })
  attempts: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

class SamplesTable1763700009998 implements MigrationInterface {
  name = 'SamplesTable1763700009998';
  async up(runner: QueryRunner) {
    await runner.query(`CREATE TABLE samples (
      id CHAR(36) PRIMARY KEY, tenant_id CHAR(36) NOT NULL, amount DECIMAL(18,2) NOT NULL, flag TINYINT NOT NULL,
      due_at DATETIME(3) NULL, headers TEXT NOT NULL, payload TEXT NOT NULL, note TEXT NULL, attempts INT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), version INT NOT NULL)`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE samples');
  }
}

const sample = (id: string): Partial<SampleEntity> => ({
  id,
  tenantId: '0190a0a0-0000-7000-8000-000000000001',
  amount: '1234.50',
  flag: true,
  dueAt: new Date('2026-11-29T08:00:00.123Z'),
  headers: { traceparent: '00-abc-def-01', 'fapiao-type': '订单' },
  payload: { lines: [1, 2, 3] },
  note: null,
  attempts: 0,
});

/** Every column as MariaDB holds it, but the id and the times it chose itself. */
const stored = async (dataSource: DataSource, id: string) => {
  const [row] = (await dataSource.query('SELECT * FROM samples WHERE id = ?', [id])) as Record<
    string,
    unknown
  >[];
  const { id: _id, created_at: _created, updated_at: _updated, ...rest } = row;
  return rest;
};

jest.setTimeout(60_000);

describe('plain SQL, as TypeORM writes and reads it', () => {
  // Not @fapiao/testing's test database: it depends on this library.
  const url = new URL(process.env['MYSQL_URL'] || 'mysql://root@127.0.0.1:3306');
  const config: DatabaseConfig = {
    host: url.hostname,
    port: Number(url.port || 3306),
    socketPath: undefined,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: `it_plain_sql_${randomBytes(5).toString('hex')}`,
    poolSize: 2,
    connectTimeoutMs: 3_000,
  };
  const schema = { entities: [SampleEntity], migrations: [SamplesTable1763700009998] };
  const db = { dataSource: new DataSource(dataSourceOptions(config, schema)) };

  beforeAll(async () => {
    await migrate(config, schema);
    await db.dataSource.initialize();
  });
  afterAll(async () => {
    await db.dataSource.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
    await db.dataSource.destroy();
  });

  it("inserts every kind of column as TypeORM's insert does: defaults, version 1, JSON, transformers", async () => {
    const ours = randomUUID();
    const theirs = randomUUID();
    const manager = db.dataSource.manager;
    expect(await insertRows(manager, SampleEntity, [sample(ours) as SampleEntity])).toBe(1);
    await manager.insert(SampleEntity, sample(theirs));
    expect(await stored(db.dataSource, ours)).toEqual(await stored(db.dataSource, theirs));
    expect(await stored(db.dataSource, ours)).toMatchObject({ version: 1, flag: 1 });
  });

  it('writes many rows in one statement, and INSERT IGNORE counts the new ones', async () => {
    const manager = db.dataSource.manager;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      await insertRows(
        manager,
        SampleEntity,
        [a, b].map((id) => sample(id) as SampleEntity),
      ),
    ).toBe(2);
    const again = [a, c].map((id) => sample(id) as SampleEntity);
    expect(await insertRows(manager, SampleEntity, again, { ignore: true })).toBe(1);
    await expect(insertRows(manager, SampleEntity, again)).rejects.toThrow(/Duplicate entry/);
  });

  it("hydrates what it selects as TypeORM's find does", async () => {
    const id = randomUUID();
    const manager = db.dataSource.manager;
    await manager.insert(SampleEntity, { ...sample(id), note: '备注' });
    const [ours] = await selectRows(manager, SampleEntity, 'SELECT * FROM samples WHERE id = ?', [id]);
    const theirs = await manager.findOneByOrFail(SampleEntity, { id });
    expect(ours).toBeInstanceOf(SampleEntity);
    expect(ours).toEqual(theirs);
    expect(ours.payload).toEqual({ lines: [1, 2, 3] });
    expect(ours.dueAt).toEqual(new Date('2026-11-29T08:00:00.123Z'));
  });

  it("updates as TypeORM's update does: the update date moves, the version goes up, SQL stays SQL", async () => {
    const [ours, theirs] = [randomUUID(), randomUUID()];
    const manager = db.dataSource.manager;
    for (const id of [ours, theirs]) await manager.insert(SampleEntity, sample(id));
    const [before] = await selectRows(manager, SampleEntity, 'SELECT * FROM samples WHERE id = ?', [ours]);
    const change = { amount: '99.90', flag: false, dueAt: null, headers: { a: 'b' }, payload: { lines: [] } };
    expect(
      await updateRows(manager, SampleEntity, { ...change, attempts: () => 'attempts + 2' }, 'id = ?', [
        ours,
      ]),
    ).toBe(1);
    await manager.update(SampleEntity, { id: theirs }, { ...change, attempts: () => 'attempts + 2' });
    expect(await stored(db.dataSource, ours)).toEqual(await stored(db.dataSource, theirs));
    const [after] = await selectRows(manager, SampleEntity, 'SELECT * FROM samples WHERE id = ?', [ours]);
    expect(after).toMatchObject({ version: 2, attempts: 2, amount: '99.90', dueAt: null });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(await updateRows(manager, SampleEntity, { note: 'x' }, 'id = ?', [randomUUID()])).toBe(0);
  });

  it("updates each row with its own values in one statement, as TypeORM's update of each row does", async () => {
    const [a, b, c, theirs] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const manager = db.dataSource.manager;
    for (const id of [a, b, c, theirs]) await manager.insert(SampleEntity, sample(id));
    const change = (n: number) => ({
      amount: `${n}.10`,
      dueAt: n === 1 ? null : new Date(`2026-11-0${n}T00:00:00.001Z`),
      headers: { n: String(n) },
      payload: { lines: [n] },
    });
    // c is expected at a version it no longer has: not written.
    await manager.update(SampleEntity, { id: c }, { note: 'moved on' });
    const rows = [a, b, c].map((id, n) => ({ id, change: change(n + 1), expect: { version: 1 } }));
    expect(await updateEach(manager, SampleEntity, rows)).toBe(2);
    await manager.update(SampleEntity, { id: theirs }, change(2));
    expect(await stored(db.dataSource, b)).toEqual(await stored(db.dataSource, theirs));
    const [first] = await selectRows(manager, SampleEntity, 'SELECT * FROM samples WHERE id = ?', [a]);
    expect(first).toMatchObject({ amount: '1.10', dueAt: null, headers: { n: '1' }, version: 2 });
    expect(await stored(db.dataSource, c)).toMatchObject({ note: 'moved on', version: 2 });
  });

  describe('DeferredUpdates', () => {
    const unitOfWork = new UnitOfWork(db.dataSource);
    const conflict = (ids: string[]) => new Error(`changed concurrently: ${ids.join(', ')}`);
    const updates = new DeferredUpdates(unitOfWork, SampleEntity, conflict);
    const updatesSent = () => {
      const query = jest.spyOn(MysqlQueryRunner.prototype, 'query');
      return () => query.mock.calls.filter(([sql]) => String(sql).startsWith('UPDATE')).length;
    };
    const read = async (id: string) =>
      (await selectRows(db.dataSource.manager, SampleEntity, 'SELECT * FROM samples WHERE id = ?', [id]))[0];

    afterEach(() => jest.restoreAllMocks());

    it("writes a unit of work's saved rows at commit, a statement per set of columns, a row saved twice once", async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await db.dataSource.manager.insert(SampleEntity, sample(id));
      const sent = updatesSent();
      await unitOfWork.run(async () => {
        const rows = await Promise.all(ids.map(read));
        updates.add(rows[0], { amount: '1.00' });
        updates.add(rows[1], { amount: '2.00' });
        updates.add(rows[2], { note: 'other columns' });
        updates.add(rows[0], { amount: '1.50' }); // merged into the first change of the row
        expect(rows[0].version).toBe(3);
        expect(updates.has(ids[0])).toBe(true);
        expect(sent()).toBe(0);
      });
      expect(sent()).toBe(2);
      expect(await read(ids[0])).toMatchObject({ amount: '1.50', version: 3 });
      expect(await read(ids[1])).toMatchObject({ amount: '2.00', version: 2 });
      expect(await read(ids[2])).toMatchObject({ note: 'other columns', version: 2 });
    });

    it('fails the commit, and writes nothing, when another writer changed a row first', async () => {
      const [mine, theirs] = [randomUUID(), randomUUID()];
      for (const id of [mine, theirs]) await db.dataSource.manager.insert(SampleEntity, sample(id));
      await expect(
        unitOfWork.run(async () => {
          const rows = await Promise.all([mine, theirs].map(read));
          await db.dataSource.manager.update(SampleEntity, { id: theirs }, { note: 'first' }); // another writer
          for (const row of rows) updates.add(row, { amount: '5.00' });
        }),
      ).rejects.toThrow(`changed concurrently: ${mine}, ${theirs}`);
      expect(await read(mine)).toMatchObject({ amount: '1234.50', version: 1 });
    });
  });
});
