import type { AuthServerConfig } from '../auth.config';
import { hashClientSecret, UNKNOWN_CLIENT_HASH, verifyClientSecret } from '../domain/client-secret';
import { SecretVerifier } from './secret-verifier';

const config = (hashConcurrency: number, hashQueue: number) =>
  ({ tokenEndpoint: { hashConcurrency, hashQueue } }) as AuthServerConfig;

describe('SecretVerifier', () => {
  it('hashes an unknown id’s secret against a dummy with today’s scrypt parameters, and refuses it', async () => {
    const verifier = new SecretVerifier(config(2, 0));
    const hash = jest.fn(verifyClientSecret);
    verifier.hash = hash;
    await expect(verifier.verify('any-secret', undefined)).resolves.toBe(false);
    expect(hash).toHaveBeenCalledWith('any-secret', UNKNOWN_CLIENT_HASH);
    // The dummy costs what a real hash costs: the same scheme, N, r and p.
    const real = (await hashClientSecret('x')).split('$').slice(0, 4);
    expect(UNKNOWN_CLIENT_HASH.split('$').slice(0, 4)).toEqual(real);
  });

  it('refuses an unknown id even if the hash check said yes', async () => {
    const verifier = new SecretVerifier(config(2, 0));
    verifier.hash = () => Promise.resolve(true);
    await expect(verifier.verify('s', undefined)).resolves.toBe(false);
    await expect(verifier.verify('s', 'stored')).resolves.toBe(true);
  });

  it('runs at most `concurrency` checks, queues `queue` more and answers AUTH.BUSY beyond', async () => {
    const verifier = new SecretVerifier(config(1, 1));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: number[] = [];
    const check = (n: number) =>
      verifier.inSlot(async () => {
        started.push(n);
        await gate;
        return n;
      });
    const first = check(1);
    const queued = check(2);
    await expect(check(3)).rejects.toMatchObject({
      code: 'AUTH.BUSY',
      kind: 'unavailable',
      retryAfterSeconds: 1,
    });
    await Promise.resolve();
    expect(started).toEqual([1]);
    release();
    await expect(Promise.all([first, queued])).resolves.toEqual([1, 2]);
  });
});
