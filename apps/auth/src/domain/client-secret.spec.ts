import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret';

describe('client secrets', () => {
  it('verifies the right secret and refuses any other', async () => {
    const secret = generateClientSecret();
    const stored = await hashClientSecret(secret);
    expect(stored).not.toContain(secret);
    await expect(verifyClientSecret(secret, stored)).resolves.toBe(true);
    await expect(verifyClientSecret(`${secret}x`, stored)).resolves.toBe(false);
    await expect(verifyClientSecret(secret, 'garbage')).resolves.toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashClientSecret('same')).not.toEqual(await hashClientSecret('same'));
  });
});
