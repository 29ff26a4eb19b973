/** The MariaDB error numbers the services act on (mysql2 `errno`, kept on TypeORM's `driverError`). */
export const MariaDbErrno = {
  /** innodb_snapshot_isolation (default from 11.8): the row changed after our snapshot. */
  CHECKREAD: 1020,
  BAD_NULL: 1048,
  DUP_ENTRY: 1062,
  LOCK_WAIT_TIMEOUT: 1205,
  LOCK_DEADLOCK: 1213,
  OUT_OF_RANGE: 1264,
  TRUNCATED_WRONG_VALUE: 1292,
  TRUNCATED_WRONG_VALUE_FOR_FIELD: 1366,
  DATA_TOO_LONG: 1406,
  CONSTRAINT_FAILED: 4025,
} as const;

/** Values the table can never hold: the same statement with the same values fails every time. */
const REJECTED_VALUE = new Set<number>([
  MariaDbErrno.BAD_NULL,
  MariaDbErrno.OUT_OF_RANGE,
  MariaDbErrno.TRUNCATED_WRONG_VALUE,
  MariaDbErrno.TRUNCATED_WRONG_VALUE_FOR_FIELD,
  MariaDbErrno.DATA_TOO_LONG,
  MariaDbErrno.CONSTRAINT_FAILED,
]);

export function driverErrno(error: unknown): number | undefined {
  const driverError = (error as { driverError?: { errno?: unknown } } | null)?.driverError;
  return typeof driverError?.errno === 'number' ? driverError.errno : undefined;
}

export const isDuplicateEntry = (error: unknown): boolean => driverErrno(error) === MariaDbErrno.DUP_ENTRY;

/** Lost a lock race (deadlock victim or lock wait timeout): the whole transaction may be run again. */
export const isLostLockRace = (error: unknown): boolean => {
  const errno = driverErrno(error);
  return errno === MariaDbErrno.LOCK_DEADLOCK || errno === MariaDbErrno.LOCK_WAIT_TIMEOUT;
};

/** The database refused a value (too long, out of range, NULL, failed CHECK): retrying cannot help. */
export const isRejectedValue = (error: unknown): boolean => REJECTED_VALUE.has(driverErrno(error) ?? 0);
