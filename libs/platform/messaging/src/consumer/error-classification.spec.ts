import { DomainError } from '@fapiao/contracts';
import { classify } from './error-classification';

describe('classify', () => {
  it('retries what may succeed later and dead-letters what never will', () => {
    expect(classify(new DomainError('concurrency', 'X.CONCURRENT_UPDATE', ''))).toBe('retriable');
    expect(classify(new DomainError('unavailable', 'X.DOWN', ''))).toBe('retriable');
    expect(classify(new DomainError('rate_limited', 'X.SLOW', ''))).toBe('retriable');
    expect(classify(new DomainError('validation', 'X.INVALID', ''))).toBe('poison');
    expect(classify(new DomainError('conflict', 'X.ALREADY', ''))).toBe('poison');
    expect(classify(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' }))).toBe(
      'retriable',
    );
  });
});
