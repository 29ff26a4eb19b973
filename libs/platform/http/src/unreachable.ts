/**
 * Codes of a connection that could not be made or broke under a request: Node's socket errors, and
 * mysql2's own for a lost or refused database connection. The dependency is away, the request not wrong.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

type Failure = { code?: unknown; fatal?: unknown; driverError?: unknown } | null;

/**
 * Which dependency an error says is unreachable: `database` for the MySQL driver's connection errors
 * (mysql2 marks them `fatal`; TypeORM keeps them as `driverError`), `dependency` for another socket error,
 * undefined when the error is something else.
 */
export function unreachableDependency(error: unknown): 'database' | 'dependency' | undefined {
  const driverError = (error as Failure)?.driverError as Failure;
  for (const candidate of [error as Failure, driverError]) {
    const code = candidate?.code;
    if (typeof code !== 'string' || !UNREACHABLE_CODES.has(code)) continue;
    return candidate === driverError || candidate?.fatal === true ? 'database' : 'dependency';
  }
  return undefined;
}
