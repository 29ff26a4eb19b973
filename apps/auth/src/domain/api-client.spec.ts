import { acceptedSecretHashes } from './api-client';

describe('acceptedSecretHashes', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const client = (previousSecretExpiresAt: Date | null) => ({
    secretHash: 'current',
    previousSecretHash: previousSecretExpiresAt ? 'previous' : null,
    previousSecretExpiresAt,
  });

  it('accepts the previous secret until its grace period ends, then only the current one', () => {
    expect(acceptedSecretHashes(client(new Date(now.getTime() + 1)), now)).toEqual(['current', 'previous']);
    expect(acceptedSecretHashes(client(now), now)).toEqual(['current']);
    expect(acceptedSecretHashes(client(null), now)).toEqual(['current']);
  });
});
