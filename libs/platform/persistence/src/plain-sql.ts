import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The hot path's statements, written as SQL and sent with `manager.query`, with TypeORM's entity metadata
 * still the one description of tables and columns. Its query builders and `find*` add 60–110 µs of
 * CPU to a statement that costs 160–180 µs this way (`npm run bench:statements`); these helpers only convert
 * values the way TypeORM does (its driver's `preparePersistentValue` / `prepareHydratedValue`: dates,
 * booleans, decimals, JSON, transformers) and leave the SQL to the caller.
 */

const escapeName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

interface Plan {
  metadata: EntityMetadata;
  /** The columns an INSERT writes, and its `INSERT INTO t (a, b, …) VALUES ` */
  inserted: EntityMetadata['columns'];
  insertHead: string;
  byDatabaseName: Map<string, EntityMetadata['columns'][number]>;
}

const plans = new WeakMap<EntityMetadata, Plan>();

function planOf<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>): Plan {
  const metadata = manager.connection.getMetadata(target);
  let plan = plans.get(metadata);
  if (!plan) {
    const inserted = metadata.columns.filter((column) => column.isInsert);
    plan = {
      metadata,
      inserted,
      insertHead: `INSERT INTO ${escapeName(metadata.tableName)} (${inserted
        .map((column) => escapeName(column.databaseName))
        .join(', ')}) VALUES `,
      byDatabaseName: new Map(metadata.columns.map((column) => [column.databaseName, column])),
    };
    plans.set(metadata, plan);
  }
  return plan;
}

/**
 * One multi-row INSERT, as TypeORM's `insert()` writes it (a missing value is the column's DEFAULT, a new
 * row's version is 1) without its builder or the SELECT it adds to read generated columns back: every row
 * here carries its own id. `ignore`: INSERT IGNORE, returning how many rows were new.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
  options: { ignore?: boolean } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const plan = planOf(manager, target);
  const driver = manager.connection.driver;
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = plan.inserted.map((column) => {
      const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column);
      if (value === undefined) return column.isVersion ? '1' : 'DEFAULT';
      params.push(value);
      return '?';
    });
    return `(${values.join(', ')})`;
  });
  const head = options.ignore ? plan.insertHead.replace(/^INSERT/, 'INSERT IGNORE') : plan.insertHead;
  const result = (await manager.query(head + tuples.join(', '), params)) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}

/** Entities of `target` from a `SELECT *` (or any statement returning its columns by their names). */
export async function selectRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const plan = planOf(manager, target);
  const driver = manager.connection.driver;
  const raw = (await manager.query(sql, params)) as Record<string, unknown>[];
  return raw.map((record) => {
    const entity = plan.metadata.create() as T;
    for (const [name, value] of Object.entries(record)) {
      const column = plan.byDatabaseName.get(name);
      if (column) column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  });
}

/**
 * `UPDATE t SET … WHERE <where>` for the properties in `change`, as TypeORM's `update()` writes it: values
 * converted, a function's result written as SQL (`attempts: () => 'attempts + 1'`), and unless `change`
 * sets them the update date becomes the statement's time and the version goes up by one. Returns the
 * number of rows the WHERE matched.
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  change: { [K in keyof T]?: T[K] | (() => string) },
  where: string,
  whereParams: unknown[],
): Promise<number> {
  const plan = planOf(manager, target);
  const driver = manager.connection.driver;
  const assignments: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(change)) {
    const column = plan.metadata.findColumnWithPropertyPath(property);
    if (!column) throw new Error(`${plan.metadata.name} has no column ${property}`);
    if (value === undefined) continue;
    if (typeof value === 'function') {
      assignments.push(`${escapeName(column.databaseName)} = ${(value as () => string)()}`);
      continue;
    }
    assignments.push(`${escapeName(column.databaseName)} = ?`);
    params.push(driver.preparePersistentValue(value, column));
  }
  const { updateDateColumn, versionColumn } = plan.metadata;
  if (updateDateColumn && !(updateDateColumn.propertyName in change))
    assignments.push(
      `${escapeName(updateDateColumn.databaseName)} = CURRENT_TIMESTAMP(${updateDateColumn.precision ?? 0})`,
    );
  if (versionColumn && !(versionColumn.propertyName in change))
    assignments.push(
      `${escapeName(versionColumn.databaseName)} = ${escapeName(versionColumn.databaseName)} + 1`,
    );
  if (assignments.length === 0) return 0;
  const result = (await manager.query(
    `UPDATE ${escapeName(plan.metadata.tableName)} SET ${assignments.join(', ')} WHERE ${where}`,
    [...params, ...whereParams],
  )) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}

/**
 * Several rows' own changes in one UPDATE, every row changing the same columns: `SET c = CASE id WHEN ? THEN ?
 * … END` for each, `WHERE id IN (…)`, and where `expect` gives a row's column a value it must still have,
 * `AND c = CASE id WHEN ? THEN ? … END`. The update-date and version columns are set as `updateRows` sets
 * them unless the change names them. Returns how many rows matched.
 */
export async function updateEach<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: { id: string; change: Partial<T>; expect?: Partial<T> }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const plan = planOf(manager, target);
  const driver = manager.connection.driver;
  const [primary] = plan.metadata.primaryColumns;
  const id = escapeName(primary.databaseName);
  const params: unknown[] = [];
  /** `CASE id WHEN ? THEN ? … END` of each row's value of `property`. */
  const caseOf = (property: string, valueOf: (row: (typeof rows)[number]) => unknown) => {
    const column = plan.metadata.findColumnWithPropertyPath(property);
    if (!column) throw new Error(`${plan.metadata.name} has no column ${property}`);
    for (const row of rows) params.push(row.id, driver.preparePersistentValue(valueOf(row), column));
    return `${escapeName(column.databaseName)} = CASE ${id}${' WHEN ? THEN ?'.repeat(rows.length)} END`;
  };
  const changed = Object.keys(rows[0].change);
  const assignments = changed.map((property) => caseOf(property, (row) => row.change[property]));
  const { updateDateColumn, versionColumn } = plan.metadata;
  if (updateDateColumn && !changed.includes(updateDateColumn.propertyName))
    assignments.push(
      `${escapeName(updateDateColumn.databaseName)} = CURRENT_TIMESTAMP(${updateDateColumn.precision ?? 0})`,
    );
  if (versionColumn && !changed.includes(versionColumn.propertyName))
    assignments.push(
      `${escapeName(versionColumn.databaseName)} = ${escapeName(versionColumn.databaseName)} + 1`,
    );
  const conditions = [`${id} IN (?)`];
  const inParams = [rows.map((row) => row.id)];
  const assignmentParams = params.splice(0);
  for (const property of Object.keys(rows[0].expect ?? {}))
    conditions.push(caseOf(property, (row) => row.expect?.[property]));
  const result = (await manager.query(
    `UPDATE ${escapeName(plan.metadata.tableName)} SET ${assignments.join(', ')} WHERE ${conditions.join(' AND ')}`,
    [...assignmentParams, ...inParams, ...params],
  )) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
