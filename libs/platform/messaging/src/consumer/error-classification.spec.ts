import { QueryFailedError } from 'typeorm';
import { DomainError } from '@fapiao/contracts';
import { MariaDbErrno } from '@fapiao/platform/persistence';
import { classify } from './error-classification';

/** What TypeORM throws for a failed statement on MariaDB (mysql2 error on `driverError`). */
const queryFailed = (errno: number, code: string) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error(code), { errno, code }));

describe('classify', () => {
  it('retries what may succeed later and dead-letters what never will', () => {
    expect(classify(new DomainError('concurrency', 'X.CONCURRENT_UPDATE', ''))).toBe('retriable');
    expect(classify(new DomainError('unavailable', 'X.DOWN', ''))).toBe('retriable');
    expect(classify(new DomainError('rate_limited', 'X.SLOW', ''))).toBe('retriable');
    expect(classify(new DomainError('validation', 'X.INVALID', ''))).toBe('poison');
    expect(classify(new DomainError('conflict', 'X.ALREADY', ''))).toBe('poison');
    // A message whose tenant does not own what it touches (another tenant's seller, invoice or order).
    expect(classify(new DomainError('forbidden', 'INVOICE.TENANT_MISMATCH', ''))).toBe('poison');
    expect(classify(new Error('connect ECONNREFUSED 127.0.0.1:3306'))).toBe('retriable');
  });

  it('retries lost lock races and duplicates, and dead-letters values the database refuses at once', () => {
    expect(classify(queryFailed(MariaDbErrno.LOCK_DEADLOCK, 'ER_LOCK_DEADLOCK'))).toBe('retriable');
    expect(classify(queryFailed(MariaDbErrno.LOCK_WAIT_TIMEOUT, 'ER_LOCK_WAIT_TIMEOUT'))).toBe('retriable');
    expect(classify(queryFailed(MariaDbErrno.DUP_ENTRY, 'ER_DUP_ENTRY'))).toBe('retriable');
    expect(classify(queryFailed(MariaDbErrno.DATA_TOO_LONG, 'ER_DATA_TOO_LONG'))).toBe('poison');
    expect(classify(queryFailed(MariaDbErrno.OUT_OF_RANGE, 'ER_WARN_DATA_OUT_OF_RANGE'))).toBe('poison');
    expect(classify(queryFailed(MariaDbErrno.BAD_NULL, 'ER_BAD_NULL_ERROR'))).toBe('poison');
    expect(classify(queryFailed(MariaDbErrno.CONSTRAINT_FAILED, 'ER_CONSTRAINT_FAILED'))).toBe('poison');
  });
});
