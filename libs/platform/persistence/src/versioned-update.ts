import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

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
  const result = await manager
    .createQueryBuilder()
    .update(target)
    .set(next as never)
    .where('id = :id AND version = :version', { id: row.id, version: row.version })
    .execute();
  if (result.affected !== 1) return false;
  Object.assign(row, next);
  return true;
}
