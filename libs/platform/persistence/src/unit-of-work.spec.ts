import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

/** A data source whose transactions are only a manager handed to the work (what `run` needs of it). */
const fakeDataSource = () =>
  ({
    manager: {} as EntityManager,
    transaction: (...args: unknown[]) => (args.at(-1) as (manager: EntityManager) => unknown)({} as never),
  }) as unknown as DataSource;

const ROWS = Symbol('rows');

describe('UnitOfWork: reads loaded ahead', () => {
  const unitOfWork = new UnitOfWork(fakeDataSource());

  it('hands a remembered row to the first read of its key only', async () => {
    await unitOfWork.run(async () => {
      unitOfWork.remember(ROWS, [
        ['a', { id: 'a' }],
        ['b', null],
      ]);
      expect(unitOfWork.recall(ROWS, 'a')).toEqual({ id: 'a' });
      expect(unitOfWork.recall(ROWS, 'a')).toBeUndefined(); // the second read goes to the database
      expect(unitOfWork.recall(ROWS, 'b')).toBeNull(); // remembered as absent
      expect(unitOfWork.recall(ROWS, 'c')).toBeUndefined(); // never loaded
    });
  });

  it('forgets a key that is written, and keeps nothing past its transaction', async () => {
    await unitOfWork.run(async () => {
      unitOfWork.remember(ROWS, [['a', { id: 'a' }]]);
      unitOfWork.forget(ROWS, 'a');
      expect(unitOfWork.recall(ROWS, 'a')).toBeUndefined();
      unitOfWork.remember(ROWS, [['z', { id: 'z' }]]);
    });
    await unitOfWork.run(async () => expect(unitOfWork.recall(ROWS, 'z')).toBeUndefined());
  });

  it('remembers nothing outside a transaction', () => {
    unitOfWork.remember(ROWS, [['a', { id: 'a' }]]);
    expect(unitOfWork.recall(ROWS, 'a')).toBeUndefined();
  });
});

describe('UnitOfWork: rows written at commit', () => {
  const unitOfWork = new UnitOfWork(fakeDataSource());
  const OUTBOX = Symbol('outbox');
  const JUDGEMENTS = Symbol('judgements');

  it('flushes the rows a flush adds, of a kind already flushed, before the commit', async () => {
    const written: string[] = [];
    const writeOutbox = async (rows: string[]) => void written.push(`outbox ${rows.join(',')}`);
    await unitOfWork.run(async () => {
      unitOfWork.batched(OUTBOX, 'a', writeOutbox);
      unitOfWork.batched(JUDGEMENTS, 'j1', async (rows: string[]) => {
        written.push(`judged ${rows.join(',')}`);
        unitOfWork.batched(OUTBOX, 'b', writeOutbox);
      });
      unitOfWork.batched(JUDGEMENTS, 'j2', async () => undefined);
      expect(unitOfWork.pending(JUDGEMENTS)).toEqual(['j1', 'j2']);
    });
    expect(written).toEqual(['outbox a', 'judged j1,j2', 'outbox b']);
  });
});
