import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { driverErrno, MariaDbErrno } from './driver-errors';
import { updateEach, updateRows } from './plain-sql';
import type { UnitOfWork } from './unit-of-work';

type Versioned = ObjectLiteral & { id: string; version: number };

/**
 * Optimistic locking: writes `change` with the next version only while the row still has the version it
 * was read with, and then applies both to `row`. False when another writer got there first (nothing
 * written): the caller turns that into its aggregate's concurrency error.
 */
export async function updateVersioned<T extends Versioned>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Pick<T, 'id' | 'version'>,
  change: Partial<T>,
): Promise<boolean> {
  const next = { ...change, version: row.version + 1 };
  const matched = await updateRows(manager, target, next as Partial<T>, '`id` = ? AND `version` = ?', [
    row.id,
    row.version,
  ]);
  if (matched !== 1) return false;
  Object.assign(row, next);
  return true;
}

/** A row's change under optimistic locking: `change` names the version it gives the row. */
interface VersionedChange<T> {
  id: string;
  /** The version the row was read with: written only while it still has it. */
  version: number;
  change: Partial<T>;
}

/**
 * Versioned updates a unit of work writes when it commits, or when their owner is about to read the table
 * (`flush`): those changing the same columns in one statement each. A row saved twice meanwhile is written
 * once, with both changes and the version after the second. A row another writer changed first fails the
 * commit with `conflict(ids)`, and the whole unit of work rolls back (a consumer's batch is then handled
 * again one message at a time, where the conflict is that message's own).
 */
export class DeferredUpdates<T extends Versioned> {
  private readonly kind: symbol;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly target: EntityTarget<T>,
    private readonly conflict: (ids: string[]) => Error,
  ) {
    this.kind = Symbol(`deferred updates of ${(target as { name?: string }).name ?? 'rows'}`);
  }

  /** Applies `change` and the next version to `row` now; the UPDATE waits for the end of the unit of work. */
  add(row: Pick<T, 'id' | 'version'>, change: Partial<T>): void {
    const next = { ...change, version: row.version + 1 } as Partial<T>;
    const waiting = this.pending().find((pending) => pending.id === row.id);
    if (waiting) Object.assign(waiting.change, next);
    else this.unitOfWork.batched(this.kind, { id: row.id, version: row.version, change: next }, this.write);
    Object.assign(row, next);
  }

  /** Whether the row has a change not written yet. */
  has(id: string): boolean {
    return this.pending().some((pending) => pending.id === id);
  }

  /** Writes the changes now: before a read of the table that must see them. */
  flush(): Promise<void> {
    return this.unitOfWork.flush(this.kind);
  }

  private pending() {
    return this.unitOfWork.pending<VersionedChange<T>>(this.kind);
  }

  private readonly write = async (changes: VersionedChange<T>[]) => {
    const manager = this.unitOfWork.transactional('DeferredUpdates');
    const byColumns = new Map<string, VersionedChange<T>[]>();
    for (const change of changes) {
      const columns = Object.keys(change.change).sort().join();
      byColumns.set(columns, [...(byColumns.get(columns) ?? []), change]);
    }
    for (const group of byColumns.values()) {
      const rows = group.map(({ id, version, change }) => ({
        id,
        change,
        expect: { version } as Partial<T>,
      }));
      const ids = group.map((change) => change.id);
      let matched: number;
      try {
        matched = await updateEach(manager, this.target, rows);
      } catch (error) {
        // innodb_snapshot_isolation: a row changed after our snapshot read it, the same conflict.
        if (driverErrno(error) === MariaDbErrno.CHECKREAD) throw this.conflict(ids);
        throw error;
      }
      if (matched !== rows.length) throw this.conflict(ids);
    }
  };
}
