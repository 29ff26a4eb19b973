import { DomainError } from '@fapiao/contracts';
import { idempotencyKeyOf } from './idempotency-key';

const invalid = () => new DomainError('validation', 'TEST.IDEMPOTENCY_KEY', 'bad key', 'Idempotency-Key');

describe('idempotencyKeyOf', () => {
  it('trims the key and keeps up to 200 characters', () => {
    expect(idempotencyKeyOf('  order-1 ', { required: true, invalid })).toBe('order-1');
    expect(idempotencyKeyOf('k'.repeat(200), { required: true, invalid })).toHaveLength(200);
  });

  it('refuses a missing key where one is required, and a blank or over-long one always', () => {
    for (const header of [undefined, '', '   ', 'k'.repeat(201)])
      expect(() => idempotencyKeyOf(header, { required: true, invalid })).toThrow(
        expect.objectContaining({ code: 'TEST.IDEMPOTENCY_KEY', field: 'Idempotency-Key' }),
      );
    for (const header of ['', '   ', 'k'.repeat(201)])
      expect(() => idempotencyKeyOf(header, { required: false, invalid })).toThrow(
        expect.objectContaining({ code: 'TEST.IDEMPOTENCY_KEY' }),
      );
  });

  it('lets an optional key be absent', () => {
    expect(idempotencyKeyOf(undefined, { required: false, invalid })).toBeUndefined();
  });
});
