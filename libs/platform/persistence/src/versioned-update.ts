import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { updateRows } from './plain-sql';

/**
 * Optimistic locking: writes `change` with the next version only while the row still has the version it
 * was read with, and then applies both to `row`. False when another writer got there first (nothing
 * written): the caller turns that into its aggregate's concurrency error.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: string; version: number }>(
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
