import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * One multi-row INSERT, without the SELECT TypeORM's `insert()` adds afterwards to read generated columns
 * back (every row here carries its own id and version): one round trip however many rows.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
}
